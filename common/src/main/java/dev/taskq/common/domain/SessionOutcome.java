package dev.taskq.common.domain;

/** How a worker says a session attempt ended; each maps onto one terminal {@link TaskStatus}. */
public enum SessionOutcome {
    SUCCEEDED(TaskStatus.SUCCEEDED),
    FAILED(TaskStatus.FAILED),
    TIMED_OUT(TaskStatus.TIMED_OUT),
    CANCELLED(TaskStatus.CANCELLED);

    private final TaskStatus status;

    SessionOutcome(TaskStatus status) {
        this.status = status;
    }

    public TaskStatus status() {
        return status;
    }
}
