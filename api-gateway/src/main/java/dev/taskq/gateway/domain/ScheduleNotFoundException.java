package dev.taskq.gateway.domain;

import java.util.UUID;

/** No schedule (or pipeline) has the id a request named. */
public class ScheduleNotFoundException extends RuntimeException {
    public ScheduleNotFoundException(UUID id) {
        super("No schedule or pipeline has id " + id);
    }
}
