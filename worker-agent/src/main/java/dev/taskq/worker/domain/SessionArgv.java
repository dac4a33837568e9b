package dev.taskq.worker.domain;

import dev.taskq.common.event.TaskDispatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the argv of a session's CLI process; each value is one element, so no shell ever parses a prompt.
 *
 * <p>A resume continues the earlier transcript under the attempt's own session id: {@code --resume <earlier>
 * --fork-session --session-id <new>} (claude 2.1.197 accepts {@code --session-id} with {@code --resume} only together
 * with {@code --fork-session}). The earlier session stays as it was, so a failed resume can be resumed again.
 *
 * <p>A task's own session settings ({@code --permission-mode}, {@code --max-budget-usd}, {@code --allowedTools},
 * {@code --disallowedTools}, {@code --append-system-prompt}) come before the worker's {@code extra-args}, which are last.
 */
public final class SessionArgv {

    private SessionArgv() {}

    public static List<String> of(CliOptions options, TaskDispatch dispatch) {
        if (dispatch.sessionId() == null) {
            throw new IllegalArgumentException("dispatch of task " + dispatch.taskId() + " has no session id");
        }
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
        // Last, so an operator's flags (an MCP config, say) are never taken as the value of a task's list flag.
        argv.addAll(options.extraArgs());
        return List.copyOf(argv);
    }

    /** The session's permission mode: the dispatch's, else the worker's configured one; empty for none. */
    public static String permissionMode(CliOptions options, TaskDispatch dispatch) {
        return dispatch.permissionMode() != null && !dispatch.permissionMode().isBlank()
                ? dispatch.permissionMode().trim()
                : options.permissionMode();
    }
}
