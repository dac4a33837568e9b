package dev.taskq.common.notification;

import dev.taskq.common.domain.TaskStatus;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a notification is about. The task ones, WAITING_FOR_INPUT included, come from {@code task-lifecycle};
 * WORKFLOW_FINISHED from {@code workflow-lifecycle} and SCHEDULE_RUN_FAILED from {@code schedule-runs}. Those two are
 * heard only by subscriptions and notify entries that name them (a workflow's own notify list hears its outcome).
 */
public enum NotificationEventType {
    TASK_STARTED,
    TASK_SUCCEEDED,
    TASK_FAILED,
    TASK_TIMED_OUT,
    TASK_CANCELLED,
    WAITING_FOR_INPUT,
    WORKFLOW_FINISHED,
    SCHEDULE_RUN_FAILED;

    /**
     * What a subscription or notify entry hears when it names no events: every ending and every question a session
     * asks (somebody has to answer it), not the start.
     */
    public static Set<NotificationEventType> defaults() {
        return EnumSet.of(TASK_SUCCEEDED, TASK_FAILED, TASK_TIMED_OUT, TASK_CANCELLED, WAITING_FOR_INPUT);
    }

    /**
     * The event a task status announces, if any. UPSTREAM_FAILED counts as TASK_FAILED: the task will never
     * run, and the reason names the dependency that did not succeed.
     */
    public static Optional<NotificationEventType> of(TaskStatus status) {
        return Optional.ofNullable(switch (status) {
            case RUNNING -> TASK_STARTED;
            case SUCCEEDED -> TASK_SUCCEEDED;
            case FAILED, UPSTREAM_FAILED -> TASK_FAILED;
            case TIMED_OUT -> TASK_TIMED_OUT;
            case CANCELLED -> TASK_CANCELLED;
            case WAITING_FOR_INPUT -> WAITING_FOR_INPUT;
            default -> null;
        });
    }

    /**
     * The dotted name webhook receivers see in the payload's {@code type}, e.g. {@code task.succeeded},
     * {@code task.waiting_for_input}.
     */
    public String wireName() {
        if (this == WAITING_FOR_INPUT) {
            return "task.waiting_for_input";
        }
        return name().toLowerCase().replaceFirst("_", ".");
    }
}
