package dev.taskq.common.event;

import dev.taskq.common.domain.WorkflowStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A workflow reached its outcome (announced once per workflow; eventId is stable across redelivery). Counts are over
 * the tasks that decide the outcome, so a task superseded by a manual retry is not counted, its retry is.
 */
public record WorkflowFinishedEvent(
        UUID eventId,
        UUID workflowId,
        String name,
        WorkflowStatus status,
        int taskCount,
        int succeededCount,
        // FAILED, TIMED_OUT and UPSTREAM_FAILED together.
        int failedCount,
        int cancelledCount,
        int skippedCount,
        // Summed over every attempt of the workflow's tasks; null when no attempt reported a cost.
        BigDecimal costUsd,
        // Why the workflow did not succeed, naming one task that failed; null on success.
        String reason,
        Instant createdAt,
        Instant finishedAt) {}
