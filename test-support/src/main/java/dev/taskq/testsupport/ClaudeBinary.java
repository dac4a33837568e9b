package dev.taskq.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/** Finds the real Claude CLI that scripts/install-claude.sh installs, and the environment tests run it with. */
public final class ClaudeBinary {

    /** Environment variable naming the binary explicitly. */
    public static final String BINARY_ENV = "TASKQ_CLAUDE_BIN";
    public static final String PINNED_VERSION = "2.1.197";

    private ClaudeBinary() {
    }

    /** {@code $TASKQ_CLAUDE_BIN}, else the pinned install under {@code ~/.cache/taskq}, if executable. */
    public static Optional<Path> locate() {
        String explicit = System.getenv(BINARY_ENV);
        Path candidate = explicit != null && !explicit.isBlank()
                ? Path.of(explicit)
                : Path.of(System.getProperty("user.home"), ".cache", "taskq", "claude-code", PINNED_VERSION,
                        "node_modules", ".bin", "claude");
        return Files.isExecutable(candidate) ? Optional.of(candidate.toAbsolutePath()) : Optional.empty();
    }

    /** The binary, or skips the calling test when it is not installed. */
    public static Path assumePresent() {
        Optional<Path> binary = locate();
        Assumptions.assumeTrue(binary.isPresent(),
                "the real claude CLI is not installed (scripts/install-claude.sh, or set " + BINARY_ENV + ")");
        return binary.orElseThrow();
    }

    /**
     * A clean environment for running the CLI against {@code anthropicBaseUrl}: only PATH and HOME of the
     * host, no {@code CLAUDECODE}/{@code CLAUDE_CODE_*} leaking from a parent session.
     */
    public static Map<String, String> cleanEnvironment(Path home, String anthropicBaseUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", anthropicBaseUrl);
        env.put("ANTHROPIC_API_KEY", "sk-ant-test-dummy");
        // bypassPermissions refuses to run as root unless told it is in a sandbox.
        env.put("IS_SANDBOX", "1");
        return env;
    }
}
