package dev.taskq.worker.domain;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Where the Claude CLI keeps a session's transcript, so the worker can tell whether it can resume one:
 * {@code <config dir>/projects/<project dir>/<session id>.jsonl}. Checked against claude 2.1.197, which resumes a
 * session only from the working directory it ran in.
 */
public final class TranscriptPath {

    // The CLI cuts longer project directory names and appends a hash of the full path.
    private static final int MAX_PROJECT_DIR_LENGTH = 200;

    private TranscriptPath() {}

    /**
     * The CLI's config directory for a child with this environment: {@code $CLAUDE_CONFIG_DIR}, else
     * {@code $HOME/.claude}; {@code fallbackHome} stands in for a HOME the child does not get (the CLI then asks
     * the OS for the user's home, as the JVM's {@code user.home} does).
     */
    public static Path configDir(Map<String, String> childEnvironment, String fallbackHome) {
        String configDir = childEnvironment.get("CLAUDE_CONFIG_DIR");
        if (configDir != null && !configDir.isBlank()) {
            return Path.of(configDir);
        }
        String home = childEnvironment.get("HOME");
        return Path.of(home == null || home.isBlank() ? fallbackHome : home, ".claude");
    }

    /**
     * The transcript of {@code sessionId} for a session run in {@code realWorkingDir}. Pass the real path (symlinks
     * resolved): the CLI keys transcripts by the OS's current directory, not by the path it was started with.
     */
    public static Path transcript(Path configDir, String realWorkingDir, UUID sessionId) {
        return configDir.resolve("projects").resolve(projectDirName(realWorkingDir)).resolve(sessionId + ".jsonl");
    }

    /**
     * The CLI's name for a working directory: every character (UTF-16 unit) that is not an ASCII letter or digit
     * becomes '-', so {@code /workspace/demo/work} is {@code -workspace-demo-work}; a name longer than 200 is cut
     * to 200 and suffixed with '-' and the base-36 absolute value of the path's Java-style string hash.
     */
    public static String projectDirName(String realWorkingDir) {
        StringBuilder name = new StringBuilder(realWorkingDir.length());
        for (int i = 0; i < realWorkingDir.length(); i++) {
            char c = realWorkingDir.charAt(i);
            boolean asciiAlphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            name.append(asciiAlphanumeric ? c : '-');
        }
        if (name.length() <= MAX_PROJECT_DIR_LENGTH) {
            return name.toString();
        }
        // The CLI's hash is the same 31-multiplier, 32-bit wrapping sum as String.hashCode.
        String hash = Long.toString(Math.abs((long) realWorkingDir.hashCode()), 36);
        return name.substring(0, MAX_PROJECT_DIR_LENGTH) + "-" + hash;
    }
}
