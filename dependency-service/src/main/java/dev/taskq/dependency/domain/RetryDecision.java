package dev.taskq.dependency.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Whether a failed attempt is tried again and when, with the reason the task shows while it waits, e.g.
 * {@code attempt 2 of 3 failed (API_UNAVAILABLE: overloaded); retrying after 12.3s}.
 *
 * @param runAfter when the next attempt may be released; null when there is none
 * @param reason the task's status reason while it waits; null when there is no retry (the caller keeps its own)
 */
public record RetryDecision(boolean retry, Instant runAfter, String reason) {

    /** Longest part of the failure's own reason repeated in the retry reason. */
    static final int MAX_FAILURE_CHARS = 500;

    private static final RetryDecision NO_RETRY = new RetryDecision(false, null, null);

    /**
     * Decides for attempt {@code attempt} that failed for {@code cause}. The backoff is counted from
     * {@code waitFrom}: the failure itself for a session that ended, the worker's last heartbeat for a lost one
     * (the lease already made the task wait), and never ends before {@code now}.
     */
    public static RetryDecision after(
            RetryPolicy policy, int attempt, FailureCause cause, String failure, Instant waitFrom, Instant now,
            RandomGenerator random) {
        if (!policy.retries(attempt, cause)) {
            return NO_RETRY;
        }
        Instant backoffEnds = waitFrom.plus(policy.backoffBefore(attempt + 1, random));
        Instant runAfter = backoffEnds.isAfter(now) ? backoffEnds : now;
        Duration wait = Duration.between(now, runAfter);
        String why = failure == null || failure.isBlank() ? cause.name() : cause.name() + ": " + cap(failure);
        String when = wait.isZero() ? "retrying now" : "retrying after " + seconds(wait);
        return new RetryDecision(true, runAfter,
                "attempt " + attempt + " of " + policy.maxAttempts() + " failed (" + why + "); " + when);
    }

    private static String cap(String failure) {
        return failure.length() <= MAX_FAILURE_CHARS ? failure : failure.substring(0, MAX_FAILURE_CHARS) + "…";
    }

    private static String seconds(Duration wait) {
        return String.format(Locale.ROOT, "%.1fs", wait.toMillis() / 1000.0);
    }
}
