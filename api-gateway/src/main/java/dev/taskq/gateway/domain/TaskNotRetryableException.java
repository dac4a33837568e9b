package dev.taskq.gateway.domain;

/** A manual retry was asked of a task whose state does not allow it; the message says what would. */
public class TaskNotRetryableException extends RuntimeException {
    public TaskNotRetryableException(String message) {
        super(message);
    }
}
