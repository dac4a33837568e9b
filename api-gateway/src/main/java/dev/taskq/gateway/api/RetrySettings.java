package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.TaskDraft;
import dev.taskq.store.persistence.TaskEntity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A task's automatic retries: how many attempts in all and how long each retry waits. */
@Schema(name = "RetrySettings", description = """
        Automatic retries are new attempts of the same task, made only for causes outside the task's control: the \
        worker was lost, the Messages API was overloaded, rate-limited or down, a resume found no transcript, and (with \
        onTimeout) a timeout. The n-th retry waits initialBackoffSeconds × 2^(n-1), capped at maxBackoffSeconds, half \
        of it random (jitter).""")
public record RetrySettings(
        @Schema(description = "Attempts in all, the first included: 1 to 20. Default 3 (taskq.api.submission.max-attempts).")
        Integer maxAttempts,
        @Schema(description = "The wait before the first retry, in seconds: 0 to 3600. Default 10.")
        Integer initialBackoffSeconds,
        @Schema(description = "The longest wait between attempts, in seconds: at least initialBackoffSeconds, at most 86400. Default 600.")
        Integer maxBackoffSeconds,
        @Schema(description = "Whether a timed-out attempt is retried. Default false: a session that ran out of time usually does again.")
        Boolean onTimeout) {

    TaskDraft.Retry toDraft() {
        return new TaskDraft.Retry(maxAttempts, initialBackoffSeconds, maxBackoffSeconds, onTimeout);
    }

    static RetrySettings of(TaskEntity task) {
        return new RetrySettings(task.maxAttempts, (int) (task.retryBackoffMs / 1000), (int) (task.retryMaxBackoffMs / 1000),
                task.retryOnTimeout);
    }
}
