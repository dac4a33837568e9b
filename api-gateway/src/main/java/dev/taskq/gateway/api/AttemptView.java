package dev.taskq.gateway.api;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.TaskAttemptEntity;
import java.time.Instant;
import java.util.UUID;

/** One attempt to run a task, as the API shows it. */
public record AttemptView(
        int attempt,
        TaskStatus status,
        String workerId,
        String host,
        UUID sessionId,
        String reason,
        FailureCause failureCause,
        Integer exitCode,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt) {

    static AttemptView of(TaskAttemptEntity attempt) {
        return new AttemptView(attempt.key.attempt(), attempt.status, attempt.workerId, attempt.host, attempt.sessionId,
                attempt.reason, attempt.failureCause, attempt.exitCode, attempt.dispatchedAt, attempt.startedAt, attempt.finishedAt);
    }
}
