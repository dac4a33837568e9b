package dev.taskq.worker.domain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the environment of a session's CLI process from an allowlist of the worker's own variables, so the
 * worker's credentials (Kafka and the like) never reach a session. Never log the result: values may be secrets.
 */
public final class ChildEnvironment {

    /** The CLI refuses {@code bypassPermissions} as root unless this is set. */
    public static final String SANDBOX_FLAG = "IS_SANDBOX";

    private ChildEnvironment() {}

    /**
     * @param workerEnv the worker's own environment
     * @param allowlist names copied from {@code workerEnv} when present
     * @param extraEnv set as given after the allowlist (configuration wins over the inherited value, and may
     *     deliberately set a {@code CLAUDE_CODE_*} option such as a provider switch)
     * @param runsAsRoot whether the worker (and so the child) runs as uid 0
     */
    public static Map<String, String> of(
            Map<String, String> workerEnv,
            Collection<String> allowlist,
            Map<String, String> extraEnv,
            boolean runsAsRoot,
            CliOptions options) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : allowlist) {
            String value = workerEnv.get(name);
            // A worker started from inside a Claude Code session must not make its children think they are nested.
            if (value != null && !isClaudeSessionMarker(name)) {
                env.put(name, value);
            }
        }
        env.putAll(extraEnv);
        if (runsAsRoot && options.bypassesPermissions()) {
            env.put(SANDBOX_FLAG, "1");
        }
        return env;
    }

    /**
     * The environment of a command task's process: a session's, without the Anthropic credentials and settings, which a
     * build or a test run has no use for and should not be able to read.
     */
    public static Map<String, String> forCommand(Map<String, String> sessionEnvironment) {
        Map<String, String> env = new LinkedHashMap<>(sessionEnvironment);
        env.keySet().removeIf(name -> name.startsWith("ANTHROPIC_"));
        return env;
    }

    static boolean isClaudeSessionMarker(String name) {
        return name.equals("CLAUDECODE") || name.startsWith("CLAUDE_CODE_");
    }
}
