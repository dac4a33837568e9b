package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.TaskStatus;
import java.util.UUID;

/** An answer was given to a task that is not waiting for one. */
public class TaskNotWaitingForInputException extends RuntimeException {
    private final TaskStatus status;

    public TaskNotWaitingForInputException(UUID taskId, TaskStatus status) {
        super("Task " + taskId + " is " + status + ", not WAITING_FOR_INPUT: there is no open question to answer");
        this.status = status;
    }

    public TaskStatus status() {
        return status;
    }
}
