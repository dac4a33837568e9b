package dev.taskq.worker.domain;

import dev.taskq.common.event.TaskDispatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the argv of a session's CLI process; each value is one element, so no shell ever parses a prompt.
 *
 * <p>A resume continues the earlier transcript under the attempt's own session id: {@code --resume <earlier>
 * --fork-session --session-id <new>} (claude 2.1.197 accepts {@code --session-id} with {@code --resume} only together
 * with {@code --fork-session}). The earlier session stays as it was, so a failed resume can be resumed again.
 *
 * <p>A task's own session settings ({@code --permission-mode}, {@code --max-budget-usd}, {@code --allowedTools},
 * {@code --disallowedTools}, {@code --append-system-prompt}) come before the worker's {@code extra-args}, which are last.
 * A task may ask only for a permission mode the worker allows ({@code taskq.worker.claude.allowed-permission-modes}).
 *
 * <p>With the worker's MCP server, {@code --allowedTools mcp__taskq__AskHuman --mcp-config <json>} follow the task's
 * settings: the allow rule keeps every permission mode short of {@code bypassPermissions} from denying the tool in
 * print mode, where nobody answers a permission prompt.
 */
public final class SessionArgv {

    private SessionArgv() {}

    public static List<String> of(CliOptions options, TaskDispatch dispatch) {
        return of(options, dispatch, null);
    }

    /**
     * @param mcp the worker's MCP server offering AskHuman to this session; null for none
     * @throws IllegalArgumentException when the dispatch cannot run: no session id, or a permission mode the worker
     *     does not allow
     */
    public static List<String> of(CliOptions options, TaskDispatch dispatch, SessionMcpConfig mcp) {
        if (dispatch.sessionId() == null) {
            throw new IllegalArgumentException("dispatch of task " + dispatch.taskId() + " has no session id");
        }
        refusedPermissionMode(options, dispatch).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        int maxTurns = dispatch.maxTurns() != null && dispatch.maxTurns() > 0
                ? dispatch.maxTurns()
                : options.defaultMaxTurns();
        List<String> argv = new ArrayList<>();
        argv.add(options.executable());
        argv.add("-p");
        argv.add(dispatch.prompt() == null ? "" : dispatch.prompt());
        argv.add("--output-format");
        argv.add("stream-json");
        // print mode refuses stream-json without --verbose
        argv.add("--verbose");
        argv.add("--max-turns");
        argv.add(Integer.toString(maxTurns));
        if (dispatch.resumeSessionId() != null) {
            argv.add("--resume");
            argv.add(dispatch.resumeSessionId().toString());
            argv.add("--fork-session");
        }
        argv.add("--session-id");
        argv.add(dispatch.sessionId().toString());
        if (dispatch.model() != null && !dispatch.model().isBlank()) {
            argv.add("--model");
            argv.add(dispatch.model());
        }
        String permissionMode = permissionMode(options, dispatch);
        if (!permissionMode.isEmpty()) {
            argv.add("--permission-mode");
            argv.add(permissionMode);
        }
        if (dispatch.maxBudgetUsd() != null) {
            argv.add("--max-budget-usd");
            argv.add(dispatch.maxBudgetUsd().toPlainString());
        }
        // The list flags take several values; one flag per pattern keeps each pattern one value, whatever it holds.
        for (String tool : dispatch.allowedTools()) {
            argv.add("--allowedTools");
            argv.add(tool);
        }
        for (String tool : dispatch.disallowedTools()) {
            argv.add("--disallowedTools");
            argv.add(tool);
        }
        if (dispatch.appendSystemPrompt() != null && !dispatch.appendSystemPrompt().isEmpty()) {
            argv.add("--append-system-prompt");
            argv.add(dispatch.appendSystemPrompt());
        }
        if (mcp != null) {
            argv.add("--allowedTools");
            argv.add(SessionMcpConfig.ASK_HUMAN_TOOL);
            argv.add("--mcp-config");
            argv.add(mcp.json());
        }
        // Last, so an operator's flags (an MCP config, say) are never taken as the value of a task's list flag.
        argv.addAll(options.extraArgs());
        return List.copyOf(argv);
    }

    /**
     * Why the dispatch's own permission mode must not run on this worker, or empty when it may (or names none: the
     * worker's configured mode is the operator's choice).
     */
    public static Optional<String> refusedPermissionMode(CliOptions options, TaskDispatch dispatch) {
        String requested = dispatch.permissionMode();
        if (requested == null || requested.isBlank() || options.allowedPermissionModes().contains(requested.trim())) {
            return Optional.empty();
        }
        return Optional.of("permission mode " + requested.trim() + " is not allowed on this worker "
                + "(taskq.worker.claude.allowed-permission-modes: " + String.join(",", options.allowedPermissionModes()) + ")");
    }

    /** The session's permission mode: the dispatch's, else the worker's configured one; empty for none. */
    public static String permissionMode(CliOptions options, TaskDispatch dispatch) {
        return dispatch.permissionMode() != null && !dispatch.permissionMode().isBlank()
                ? dispatch.permissionMode().trim()
                : options.permissionMode();
    }
}
