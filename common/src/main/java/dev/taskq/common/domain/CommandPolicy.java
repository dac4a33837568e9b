package dev.taskq.common.domain;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which command tasks may run: whether any may, which executables per pool, and in which pools a shell string. The
 * gateway checks it at submit and every worker again before it starts anything, each with its own configuration
 * ({@code rulePrefix} names the keys, so a refusal says which setting to change).
 *
 * <p>An allowed executable is a bare name ({@code npm}: the command's first element must be exactly that name, which
 * the worker resolves on its own PATH) or an absolute path ({@code /usr/bin/make}: the first element must be that
 * path). A first element that is neither a bare name nor an absolute path ({@code ./build.sh}, {@code bin/x}) is never
 * allowed: what it runs depends on the directory. A shell string is not an argv the allowlist could read, so
 * {@code shell: true} is allowed only in the pools listed for it, where any command line may run.
 *
 * @param allowedExecutables per pool, the executables a command may start; a pool not listed runs none
 * @param shellPools the pools where a command may be a shell string run by {@code /bin/sh -c}
 * @param rulePrefix the configuration prefix of these settings, e.g. {@code taskq.api.command-tasks}
 */
public record CommandPolicy(boolean enabled, Map<String, List<String>> allowedExecutables, Set<String> shellPools,
        String rulePrefix) {

    /** A command the policy refuses: the request field at fault, the setting that refuses it, and why. */
    public record Refusal(String field, String rule, String message) {
        /** One line for a log or a failed attempt's reason. */
        public String describe() {
            return field + " " + message + " (" + rule + ")";
        }
    }

    public CommandPolicy {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        allowedExecutables.forEach((pool, names) -> copy.put(pool, names.stream()
                .filter(name -> name != null && !name.isBlank()).map(String::trim).toList()));
        allowedExecutables = Map.copyOf(copy);
        Set<String> pools = new LinkedHashSet<>();
        shellPools.stream().filter(pool -> pool != null && !pool.isBlank()).map(String::trim).forEach(pools::add);
        shellPools = Set.copyOf(pools);
    }

    /**
     * Why a command may not run in {@code pool}, if it may not.
     *
     * @param command the argv, or with {@code shell} a single element: the shell string
     */
    public Optional<Refusal> refusal(String pool, List<String> command, boolean shell) {
        if (!enabled) {
            return Optional.of(new Refusal("kind", rulePrefix + ".enabled",
                    "command tasks are turned off here; only claude tasks may run"));
        }
        if (shell) {
            return shellPools.contains(pool) ? Optional.empty() : Optional.of(new Refusal("shell", rulePrefix + ".shell-pools",
                    "a shell string may not run in pool '" + pool + "'; shell pools: " + listed(shellPools)
                            + ". Send command as an argv array instead"));
        }
        String executable = command.isEmpty() ? "" : command.getFirst();
        List<String> allowed = allowedExecutables.getOrDefault(pool, List.of());
        String rule = rulePrefix + ".allowed-executables." + pool;
        if (!isBareName(executable) && !Path.of(executable).isAbsolute()) {
            return Optional.of(new Refusal("command[0]", rule, "'" + executable + "' must be a bare executable name resolved "
                    + "on the worker's PATH or an absolute path"));
        }
        if (!allowed.contains(executable)) {
            return Optional.of(new Refusal("command[0]", rule, "'" + executable + "' is not an allowed executable in pool '"
                    + pool + "'; allowed: " + listed(allowed)));
        }
        return Optional.empty();
    }

    /** A name without a slash, which the worker looks up on its PATH. */
    static boolean isBareName(String executable) {
        return !executable.isEmpty() && executable.indexOf('/') < 0 && !executable.equals(".") && !executable.equals("..");
    }

    private static String listed(java.util.Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
