package dev.taskq.gateway.domain;

/** The request clashes with the current state: a destination name in use, a delivery that cannot be redelivered. */
public class NotificationConflictException extends RuntimeException {

    public NotificationConflictException(String message) {
        super(message);
    }
}
