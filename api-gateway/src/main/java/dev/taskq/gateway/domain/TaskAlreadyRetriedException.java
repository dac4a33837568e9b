package dev.taskq.gateway.domain;

import java.util.UUID;

/** A task can be retried by hand once; this one was, so retrying again means retrying its retry. */
public class TaskAlreadyRetriedException extends RuntimeException {
    private final UUID retryId;

    public TaskAlreadyRetriedException(UUID taskId, UUID retryId) {
        super("Task " + taskId + " was already retried as task " + retryId + "; retry that task to go again");
        this.retryId = retryId;
    }

    public UUID retryId() {
        return retryId;
    }
}
