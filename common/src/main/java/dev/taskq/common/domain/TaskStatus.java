package dev.taskq.common.domain;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a task, with the one table of allowed transitions that every state write obeys.
 *
 * <pre>
 * WAITING ──deps resolved──▶ QUEUED ──released──▶ DISPATCHED ──process started──▶ RUNNING ──▶ SUCCEEDED | FAILED | TIMED_OUT
 *    │                          ▲ │                    │  └──retry──▶ QUEUED             │  └──retry──▶ QUEUED
 *    │                          │ │                    │                                 └──asked a human──▶ WAITING_FOR_INPUT
 *    │                          │ └────────────────────┴──────────────▶ CANCELLED ◀─ (from any non-terminal state)   │
 *    │                          └──────────────────────────── answered ──────────────────────────────────────────────┘
 *    ├─dep failed─▶ UPSTREAM_FAILED
 *    └─dep failed, policy skip─▶ SKIPPED
 * </pre>
 *
 * <p>"retry" is a new attempt of the same task: its worker was lost or handed it back, or the attempt failed for a
 * retryable cause (see {@link FailureCause}) and the task has attempts left. "answered" is also a new attempt: it
 * resumes the session that asked, with the answer.
 */
public enum TaskStatus {
    /** Accepted, with at least one dependency that has not succeeded yet. */
    WAITING,
    /** Ready to run; waiting for dependency-service to release it onto a priority topic. */
    QUEUED,
    /** An attempt was created and published to Kafka; no worker has started it yet. */
    DISPATCHED,
    /** A worker started the session process for the current attempt. */
    RUNNING,
    /**
     * The session asked a human a question and ended its turn; no process runs and no slot is held. An answer
     * puts the task back in the queue to resume that session with it.
     */
    WAITING_FOR_INPUT,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    /** Never ran because a dependency ended without success; the reason names it. */
    UPSTREAM_FAILED,
    /**
     * Never ran, on purpose: a dependency ended without success and this task's {@link DependencyFailurePolicy}
     * is SKIP (or the dependency was itself skipped).
     */
    SKIPPED;

    private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = new EnumMap<>(TaskStatus.class);

    static {
        ALLOWED.put(WAITING, EnumSet.of(QUEUED, UPSTREAM_FAILED, SKIPPED, CANCELLED));
        ALLOWED.put(QUEUED, EnumSet.of(DISPATCHED, CANCELLED));
        // Back to QUEUED means a new attempt: the worker holding this one was lost, or it failed retryably.
        // DISPATCHED may end at once when the worker's Started event was lost or unreadable.
        ALLOWED.put(DISPATCHED, EnumSet.of(RUNNING, FAILED, CANCELLED, QUEUED, WAITING_FOR_INPUT));
        ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, QUEUED, WAITING_FOR_INPUT));
        ALLOWED.put(WAITING_FOR_INPUT, EnumSet.of(QUEUED, CANCELLED));
        for (TaskStatus terminal : EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, UPSTREAM_FAILED, SKIPPED)) {
            ALLOWED.put(terminal, EnumSet.noneOf(TaskStatus.class));
        }
    }

    public boolean canTransitionTo(TaskStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public Set<TaskStatus> allowedNext() {
        return Collections.unmodifiableSet(ALLOWED.get(this));
    }

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** Whether dependents of a task that ended in this state may run. */
    public boolean satisfiesDependents() {
        return this == SUCCEEDED;
    }

    /** Statuses from which a task can still be cancelled. */
    public static Set<TaskStatus> cancellable() {
        EnumSet<TaskStatus> result = EnumSet.noneOf(TaskStatus.class);
        for (TaskStatus status : values()) {
            if (status.canTransitionTo(CANCELLED)) {
                result.add(status);
            }
        }
        return result;
    }
}
