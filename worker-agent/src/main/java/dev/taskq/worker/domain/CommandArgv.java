package dev.taskq.worker.domain;

import dev.taskq.common.domain.CommandPolicy;
import dev.taskq.common.event.TaskDispatch;
import java.util.List;

/**
 * The argv of a command task's process: the task's own argv as it is (no shell ever parses it), or for a shell string
 * {@code <shell> -c <string>}; either only when this worker's {@link CommandPolicy} allows it.
 */
public final class CommandArgv {

    private CommandArgv() {}

    /**
     * @param shell the shell that runs a shell string ({@code taskq.worker.command-tasks.shell})
     * @throws IllegalArgumentException naming the rule, when the policy refuses the command or the dispatch has none
     */
    public static List<String> of(CommandPolicy policy, String shell, TaskDispatch dispatch) {
        List<String> command = dispatch.command();
        if (command.isEmpty() || (dispatch.shell() && command.size() != 1)) {
            throw new IllegalArgumentException("dispatch of command task " + dispatch.taskId() + " has no runnable command "
                    + "(an argv, or with shell a single command line)");
        }
        policy.refusal(dispatch.pool(), command, dispatch.shell()).ifPresent(refusal -> {
            throw new IllegalArgumentException("command refused by this worker: " + refusal.describe());
        });
        return dispatch.shell() ? List.of(shell, "-c", command.getFirst()) : command;
    }

    /** The command as a person reads it in the log: the shell string, or the argv joined by spaces. */
    public static String display(TaskDispatch dispatch) {
        return String.join(" ", dispatch.command());
    }
}
