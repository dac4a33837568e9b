package dev.taskq.gateway.domain;

/** A resume was asked of a task that has not ended, or that never started a session to resume. */
public class TaskNotResumableException extends RuntimeException {
    public TaskNotResumableException(String message) {
        super(message);
    }
}
