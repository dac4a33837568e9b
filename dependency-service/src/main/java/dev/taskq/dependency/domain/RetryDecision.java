package dev.taskq.dependency.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Whether a failed attempt is tried again and when, with the reason the task shows while it waits, e.g.
 * {@code attempt 2 of 3 failed (API_UNAVAILABLE: overloaded); retrying after 12.3s}. An attempt its worker handed back
 * on shutdown ({@link FailureCause#DRAINED}) is no failure of the task: it is retried at once, whatever attempts the
 * task has left (up to {@link RetryPolicy#HAND_BACK_ATTEMPT_CAP}), e.g.
 * {@code attempt 2 handed back by worker w-7 on shutdown; retrying now}.
 *
 * @param runAfter when the next attempt may be released; null when there is none
 * @param reason the task's status reason while it waits; null when there is no retry (the caller keeps its own)
 */
public record RetryDecision(boolean retry, Instant runAfter, String reason) {

    /** Longest part of the failure's own reason repeated in the retry reason. */
    static final int MAX_FAILURE_CHARS = 500;

    private static final RetryDecision NO_RETRY = new RetryDecision(false, null, null);

    /**
     * Decides for attempt {@code attempt} that worker {@code workerId} reported ended for {@code cause}: a hand-back
     * ({@link #afterHandBack}) or a failure ({@link #after}).
     */
    public static RetryDecision of(
            RetryPolicy policy, int attempt, FailureCause cause, String failure, String workerId, Instant now,
            RandomGenerator random) {
        return of(policy, AttemptNumber.of(attempt), cause, failure, workerId, now, random);
    }

    /** {@link #of(RetryPolicy, int, FailureCause, String, String, Instant, RandomGenerator)}, for an attempt after rescues. */
    public static RetryDecision of(
            RetryPolicy policy, AttemptNumber attempt, FailureCause cause, String failure, String workerId, Instant now,
            RandomGenerator random) {
        return cause == FailureCause.DRAINED
                ? afterHandBack(policy, attempt, workerId, now)
                : after(policy, attempt, cause, failure, now, now, random);
    }

    /**
     * Decides for attempt {@code attempt} that worker {@code workerId} handed back on shutdown: retried now, without a
     * backoff (nothing went wrong that waiting would help), until the task has had
     * {@link RetryPolicy#HAND_BACK_ATTEMPT_CAP} attempts.
     */
    public static RetryDecision afterHandBack(RetryPolicy policy, int attempt, String workerId, Instant now) {
        return afterHandBack(policy, AttemptNumber.of(attempt), workerId, now);
    }

    /** {@link #afterHandBack(RetryPolicy, int, String, Instant)}; rescued dispatches do not count toward the cap. */
    public static RetryDecision afterHandBack(RetryPolicy policy, AttemptNumber attempt, String workerId, Instant now) {
        if (!policy.retries(attempt.counted(), FailureCause.DRAINED)) {
            return NO_RETRY;
        }
        return new RetryDecision(true, now,
                "attempt " + attempt.number() + " handed back by " + worker(workerId) + " on shutdown; retrying now");
    }

    /** Why a task fails when its worker handed back its attempt {@code attempt} and it may have no more. */
    public static String handBackLimitReason(int attempt, String workerId) {
        return "attempt " + attempt + " handed back by " + worker(workerId) + " on shutdown; not retried: a task gets at most "
                + RetryPolicy.HAND_BACK_ATTEMPT_CAP + " attempts when workers keep handing it back";
    }

    private static String worker(String workerId) {
        return workerId == null || workerId.isBlank() ? "its worker" : "worker " + workerId;
    }

    /**
     * Decides for attempt {@code attempt} that failed for {@code cause}. The backoff is counted from
     * {@code waitFrom}: the failure itself for a session that ended, the worker's last heartbeat for a lost one
     * (the lease already made the task wait), and never ends before {@code now}.
     */
    public static RetryDecision after(
            RetryPolicy policy, int attempt, FailureCause cause, String failure, Instant waitFrom, Instant now,
            RandomGenerator random) {
        return after(policy, AttemptNumber.of(attempt), cause, failure, waitFrom, now, random);
    }

    /**
     * {@link #after(RetryPolicy, int, FailureCause, String, Instant, Instant, RandomGenerator)} for an attempt that may
     * follow rescued dispatches: only the attempts that count decide whether one is left and how long the backoff is.
     */
    public static RetryDecision after(
            RetryPolicy policy, AttemptNumber attempt, FailureCause cause, String failure, Instant waitFrom, Instant now,
            RandomGenerator random) {
        if (!policy.retries(attempt.counted(), cause)) {
            return NO_RETRY;
        }
        Instant backoffEnds = waitFrom.plus(policy.backoffBefore(attempt.counted() + 1, random));
        Instant runAfter = backoffEnds.isAfter(now) ? backoffEnds : now;
        Duration wait = Duration.between(now, runAfter);
        String why = failure == null || failure.isBlank() ? cause.name() : cause.name() + ": " + cap(failure);
        String when = wait.isZero() ? "retrying now" : "retrying after " + seconds(wait);
        return new RetryDecision(true, runAfter,
                attempt.describe(policy.maxAttempts()) + " failed (" + why + "); " + when);
    }

    private static String cap(String failure) {
        return failure.length() <= MAX_FAILURE_CHARS ? failure : failure.substring(0, MAX_FAILURE_CHARS) + "…";
    }

    private static String seconds(Duration wait) {
        return String.format(Locale.ROOT, "%.1fs", wait.toMillis() / 1000.0);
    }
}
