package dev.taskq.gateway.domain;

/** A pause, resume or cancel that the schedule's status does not allow, e.g. resuming a cancelled schedule. */
public class ScheduleConflictException extends RuntimeException {
    public ScheduleConflictException(String message) {
        super(message);
    }
}
