package dev.taskq.common.event;

import dev.taskq.common.domain.SessionOutcome;
import java.time.Instant;
import java.util.UUID;

/**
 * The session of an attempt ended. {@code result} is the CLI's final result line when it wrote one
 * (it does not when killed on timeout or cancel).
 */
public record SessionFinished(
        UUID taskId,
        int attempt,
        String workerId,
        long sequence,
        Instant at,
        SessionOutcome outcome,
        String reason,
        Integer exitCode,
        SessionResult result)
        implements TaskEvent {}
