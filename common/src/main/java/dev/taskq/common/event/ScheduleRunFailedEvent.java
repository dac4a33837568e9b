package dev.taskq.common.event;

import java.time.Instant;
import java.util.UUID;

/** One fire time of a schedule did not end well; eventId is stable across redelivery. */
public record ScheduleRunFailedEvent(
        UUID eventId,
        UUID scheduleId,
        String scheduleName,
        Instant fireTime,
        Kind kind,
        // The run's task or workflow, when it created one (never both).
        UUID taskId,
        UUID workflowId,
        String reason,
        Instant at) {

    public enum Kind {
        /** Creating the run's task or workflow failed (its template no longer holds, the pool is gone, ...). */
        FIRE_FAILED,
        /** The fire time passed while no scheduler ran and the schedule's missed-run policy is fail. */
        MISSED,
        /** The run's task or workflow ended without succeeding (failed, timed out, cancelled). */
        RUN_FAILED
    }
}
