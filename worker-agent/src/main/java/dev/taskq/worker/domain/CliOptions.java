package dev.taskq.worker.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The worker-wide part of a session's command line.
 *
 * @param permissionMode passed as {@code --permission-mode} unless a task sets its own; blank leaves the flag out
 * @param allowedPermissionModes the modes a task may ask for ({@code taskq.worker.claude.allowed-permission-modes}),
 *     in the order configured
 */
public record CliOptions(
        String executable,
        int defaultMaxTurns,
        String permissionMode,
        List<String> extraArgs,
        List<String> allowedPermissionModes) {

    public static final String BYPASS_PERMISSIONS = "bypassPermissions";
    /** Every {@code --permission-mode} claude 2.1.197 accepts ({@code claude --help}). */
    public static final List<String> CLI_PERMISSION_MODES =
            List.of("default", "acceptEdits", "plan", "auto", "dontAsk", BYPASS_PERMISSIONS);

    public CliOptions {
        if (executable == null || executable.isBlank()) {
            throw new IllegalArgumentException("the Claude executable must be set");
        }
        if (defaultMaxTurns < 1) {
            throw new IllegalArgumentException("the default max turns must be at least 1, got " + defaultMaxTurns);
        }
        permissionMode = permissionMode == null ? "" : permissionMode.trim();
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        Set<String> modes = new LinkedHashSet<>();
        for (String mode : allowedPermissionModes == null ? CLI_PERMISSION_MODES : allowedPermissionModes) {
            if (mode != null && !mode.isBlank()) {
                modes.add(mode.trim());
            }
        }
        allowedPermissionModes = List.copyOf(modes);
    }

    /** Options that let a task ask for any mode the CLI accepts. */
    public CliOptions(String executable, int defaultMaxTurns, String permissionMode, List<String> extraArgs) {
        this(executable, defaultMaxTurns, permissionMode, extraArgs, CLI_PERMISSION_MODES);
    }

    public boolean bypassesPermissions() {
        return bypasses(permissionMode);
    }

    /** Whether a session in this permission mode runs tools unasked (the CLI then wants a sandbox when run as root). */
    public static boolean bypasses(String permissionMode) {
        return BYPASS_PERMISSIONS.equals(permissionMode);
    }
}
