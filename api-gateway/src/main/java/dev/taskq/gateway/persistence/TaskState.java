package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;

/** The two columns of a task that a log reader needs, without its (possibly long) prompt. */
public record TaskState(TaskStatus status, String statusReason) {}
