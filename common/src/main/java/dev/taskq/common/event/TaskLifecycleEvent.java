package dev.taskq.common.event;

import dev.taskq.common.domain.TaskStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A task reached a state people may want to hear about; eventId is stable across redelivery. */
public record TaskLifecycleEvent(
        UUID eventId,
        UUID taskId,
        int attempt,
        TaskStatus status,
        String reason,
        BigDecimal costUsd,
        Instant at,
        // The workflow the task belongs to, if any, so notifications can be routed per workflow.
        UUID workflowId,
        // With status WAITING_FOR_INPUT, the question the session asked; null otherwise.
        String question) {}
