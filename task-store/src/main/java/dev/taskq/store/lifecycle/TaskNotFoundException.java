package dev.taskq.store.lifecycle;

import java.util.UUID;

/** No task has the given id. */
public class TaskNotFoundException extends RuntimeException {
    public TaskNotFoundException(UUID taskId) {
        super("No task with id " + taskId);
    }
}
