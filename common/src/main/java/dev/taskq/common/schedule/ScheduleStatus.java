package dev.taskq.common.schedule;

/** Where a schedule stands. Only ACTIVE schedules fire; COMPLETED and CANCELLED are final. */
public enum ScheduleStatus {
    ACTIVE,
    PAUSED,
    /** It has no fire time left: its runAt passed, it reached endAt or maxRuns. */
    COMPLETED,
    CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
