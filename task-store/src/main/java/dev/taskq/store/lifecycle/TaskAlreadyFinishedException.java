package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.TaskStatus;
import java.util.UUID;

/** A change was asked of a task that has already reached a terminal state. */
public class TaskAlreadyFinishedException extends RuntimeException {
    private final TaskStatus status;

    public TaskAlreadyFinishedException(UUID taskId, TaskStatus status) {
        super("Task " + taskId + " already finished as " + status);
        this.status = status;
    }

    public TaskStatus status() {
        return status;
    }
}
