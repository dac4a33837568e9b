package dev.taskq.common.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A task's automatic retries: at most {@code maxAttempts} attempts in all, the n-th retry waiting
 * {@code initialBackoff × 2^(n-1)}, capped at {@code maxBackoff}, with "equal jitter" (half the delay fixed, half
 * random) so that tasks failed together by one outage do not all come back in the same instant.
 *
 * @param retryOnTimeout whether a timed-out attempt is retried (off by default: a session that ran out of time
 *     usually runs out of time again)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, boolean retryOnTimeout) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, got " + initialBackoff + " and " + maxBackoff);
        }
    }

    /**
     * The most attempts a task gets when workers keep handing it back on shutdown ({@link FailureCause#DRAINED}),
     * whatever its {@code maxAttempts}: a fleet that scales down must not fail the work it was running, but a task
     * that somehow outlives every worker must still end.
     */
    public static final int HAND_BACK_ATTEMPT_CAP = 20;

    /** Whether an attempt numbered {@code attempt} that failed for {@code cause} gets another attempt. */
    public boolean retries(int attempt, FailureCause cause) {
        if (cause == FailureCause.DRAINED) {
            return attempt < HAND_BACK_ATTEMPT_CAP;
        }
        if (cause == null || !cause.retryable() || attempt >= maxAttempts) {
            return false;
        }
        return cause != FailureCause.TIMED_OUT || retryOnTimeout;
    }

    /** How long to wait before attempt {@code nextAttempt} (2 for the first retry). */
    public Duration backoffBefore(int nextAttempt, RandomGenerator random) {
        int retry = Math.max(1, nextAttempt - 1);
        long initialMillis = initialBackoff.toMillis();
        long cappedMillis = maxBackoff.toMillis();
        // Shifting past 30 bits would overflow long arithmetic for large attempt numbers; the cap is hit long before.
        long exponential = retry > 30 ? cappedMillis : Math.min(cappedMillis, initialMillis << (retry - 1));
        long half = exponential / 2;
        long jitter = half == 0 ? 0 : random.nextLong(half + 1);
        return Duration.ofMillis(exponential - half + jitter);
    }
}
