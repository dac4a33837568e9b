package dev.taskq.common.event;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.SessionOutcome;
import java.time.Instant;
import java.util.UUID;

/**
 * The session of an attempt ended. {@code result} is the CLI's final result line when it wrote one
 * (it does not when killed on timeout or cancel).
 *
 * @param checkpoint the working directory's git state when the session ended; null when the worker could not
 *     read one
 * @param failureCause set by the worker only when it knows better than the result can tell (it could not resume the
 *     session because it does not hold its transcript, or it handed the attempt back on shutdown: DRAINED);
 *     otherwise null and derived by {@link FailureCause#of}
 * @param question with outcome WAITING_FOR_INPUT, what the session asked a human (through the worker's AskHuman tool);
 *     null otherwise
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
        SessionResult result,
        Checkpoint checkpoint,
        FailureCause failureCause,
        String question)
        implements TaskEvent {}
