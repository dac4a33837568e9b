package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import java.time.Instant;

/** The columns of a task that a log reader needs, without its (possibly long) prompt. */
public record TaskState(TaskStatus status, String statusReason, Instant logsDeletedAt) {}
