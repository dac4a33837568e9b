package dev.taskq.common.domain;

/**
 * How a worker says a session attempt ended; each maps onto the {@link TaskStatus} the task takes (a terminal one,
 * except WAITING_FOR_INPUT: the session asked a human and the task waits for the answer).
 */
public enum SessionOutcome {
    SUCCEEDED(TaskStatus.SUCCEEDED),
    FAILED(TaskStatus.FAILED),
    TIMED_OUT(TaskStatus.TIMED_OUT),
    CANCELLED(TaskStatus.CANCELLED),
    WAITING_FOR_INPUT(TaskStatus.WAITING_FOR_INPUT);

    private final TaskStatus status;

    SessionOutcome(TaskStatus status) {
        this.status = status;
    }

    public TaskStatus status() {
        return status;
    }
}
