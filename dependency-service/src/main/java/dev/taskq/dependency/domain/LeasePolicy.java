package dev.taskq.dependency.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.RetryPolicy;
import dev.taskq.common.domain.TaskStatus;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * What happens to a task whose worker stopped sending heartbeats: a retry with cause
 * {@link FailureCause#WORKER_LOST} under the task's {@link RetryPolicy}, or failure when it has no attempt left.
 *
 * <p>The backoff counts from the worker's last heartbeat, not from the moment the loss was noticed: the lease
 * already made the task wait that long. With the defaults (10 s lease, 10 s first backoff, so 5–10 s with jitter)
 * the first retry after a lost worker is released as soon as the loss is noticed, as before retries had backoffs;
 * later ones wait the rest of their longer backoffs.
 */
public final class LeasePolicy {

    /** The task's next status, its reason, and for a retry when it may be released again. */
    public record Decision(TaskStatus next, String reason, Instant runAfter) {}

    private LeasePolicy() {}

    public static Decision onWorkerLost(
            RetryPolicy policy, int attempt, String attemptReason, Instant lastRenewed, Instant now, RandomGenerator random) {
        return onWorkerLost(policy, AttemptNumber.of(attempt), attemptReason, lastRenewed, now, random);
    }

    /** {@link #onWorkerLost(RetryPolicy, int, String, Instant, Instant, RandomGenerator)}; rescued dispatches do not count. */
    public static Decision onWorkerLost(
            RetryPolicy policy, AttemptNumber attempt, String attemptReason, Instant lastRenewed, Instant now,
            RandomGenerator random) {
        RetryDecision retry = RetryDecision.after(policy, attempt, FailureCause.WORKER_LOST, attemptReason, lastRenewed, now, random);
        if (retry.retry()) {
            return new Decision(TaskStatus.QUEUED, retry.reason(), retry.runAfter());
        }
        return new Decision(TaskStatus.FAILED, "worker lost on " + attempt.describe(policy.maxAttempts()), null);
    }

    /** The reason stored on the lost attempt's row. */
    public static String attemptReason(String workerId, Instant lastRenewed) {
        return "worker " + workerId + " lost: no heartbeat since " + lastRenewed;
    }
}
