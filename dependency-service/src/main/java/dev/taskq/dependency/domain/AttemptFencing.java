package dev.taskq.dependency.domain;

import dev.taskq.common.domain.TaskStatus;

/**
 * Decides whether a worker's event about an attempt may change its task. Only the task's current attempt
 * counts; a worker still running any other attempt (or an attempt of a finished task) is told to stop.
 */
public final class AttemptFencing {

    /** What to do with a SessionStarted. */
    public enum OnStarted {
        /** The current attempt started: the task becomes RUNNING. */
        APPLY,
        /** A redelivered start of the attempt already RUNNING: nothing to do. */
        DUPLICATE,
        /** The attempt is not current or the task already ended: cancel the worker's session, change nothing. */
        FENCE
    }

    /** What to do with a SessionFinished. */
    public enum OnFinished {
        /** The current attempt ended: store its result and move the task to the outcome. */
        APPLY,
        /**
         * A stale attempt, an attempt already queued for retry (the task is QUEUED, still at that attempt number),
         * the attempt whose question the task waits on (WAITING_FOR_INPUT), or a task that already ended: e.g. a
         * redelivery. Ignore it.
         */
        IGNORE
    }

    private AttemptFencing() {}

    public static OnStarted onStarted(TaskStatus status, int currentAttempt, int attempt) {
        if (attempt != currentAttempt) {
            return OnStarted.FENCE;
        }
        return switch (status) {
            case DISPATCHED -> OnStarted.APPLY;
            case RUNNING -> OnStarted.DUPLICATE;
            // QUEUED again (its worker was declared lost, or it failed and waits for a retry), or ended: the session
            // must not run on.
            default -> OnStarted.FENCE;
        };
    }

    public static OnFinished onFinished(TaskStatus status, int currentAttempt, int attempt) {
        boolean live = status == TaskStatus.RUNNING || status == TaskStatus.DISPATCHED;
        return attempt == currentAttempt && live ? OnFinished.APPLY : OnFinished.IGNORE;
    }

    /** The reason sent with the CANCEL command of a fenced-off attempt. */
    public static String fencedReason(TaskStatus status, int currentAttempt, int attempt) {
        if (attempt == currentAttempt) {
            return "attempt " + attempt + " is no longer current: the task is " + status;
        }
        return "attempt " + attempt + " is no longer current: the current attempt is " + currentAttempt;
    }
}
