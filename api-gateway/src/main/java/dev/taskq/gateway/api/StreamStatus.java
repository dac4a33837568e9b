package dev.taskq.gateway.api;

import dev.taskq.common.domain.TaskStatus;

/** The data of a log stream's {@code status} and {@code end} events. */
public record StreamStatus(TaskStatus status, String statusReason) {}
