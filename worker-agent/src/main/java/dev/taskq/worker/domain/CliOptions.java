package dev.taskq.worker.domain;

import java.util.List;

/**
 * The worker-wide part of a session's command line.
 *
 * @param permissionMode passed as {@code --permission-mode} unless a task sets its own; blank leaves the flag out
 */
public record CliOptions(String executable, int defaultMaxTurns, String permissionMode, List<String> extraArgs) {

    public static final String BYPASS_PERMISSIONS = "bypassPermissions";

    public CliOptions {
        if (executable == null || executable.isBlank()) {
            throw new IllegalArgumentException("the Claude executable must be set");
        }
        if (defaultMaxTurns < 1) {
            throw new IllegalArgumentException("the default max turns must be at least 1, got " + defaultMaxTurns);
        }
        permissionMode = permissionMode == null ? "" : permissionMode.trim();
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    }

    public boolean bypassesPermissions() {
        return bypasses(permissionMode);
    }

    /** Whether a session in this permission mode runs tools unasked (the CLI then wants a sandbox when run as root). */
    public static boolean bypasses(String permissionMode) {
        return BYPASS_PERMISSIONS.equals(permissionMode);
    }
}
