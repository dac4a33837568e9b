package dev.taskq.common.domain;

import dev.taskq.common.event.SessionResult;
import java.util.Set;

/**
 * Why an attempt did not succeed, as far as retrying is concerned. Only causes outside the task's own control
 * are retried automatically: the worker vanished, the API was overloaded, rate-limited or down, and (when the
 * task allows it) a timeout. A session that ran and failed (a user error, a refused tool, max turns, the
 * budget) would fail the same way again, so it is never retried automatically.
 */
public enum FailureCause {
    /** The worker stopped heartbeating (crash, host loss, network partition). */
    WORKER_LOST(true),
    /**
     * The worker was shut down (SIGTERM: a scale-down, a rollout, a drained node) and the session did not end within
     * its grace period, so the worker stopped it, read its checkpoint and handed the attempt back. Not the task's
     * doing, so it is retried even when the task has no attempts left, up to {@link RetryPolicy#HAND_BACK_ATTEMPT_CAP}
     * attempts in all.
     */
    DRAINED(true),
    /** The session hit its wall-clock timeout; retried only when the task sets {@code retryOnTimeout}. */
    TIMED_OUT(true),
    /**
     * A resume reached a worker that does not hold the session's transcript (it was wiped, or the worker is not the
     * one that ran it). Retried as a fresh session whose prompt is enriched from the checkpoint.
     */
    SESSION_UNAVAILABLE(true),
    /** The Messages API answered 429 (rate limit), 529 (overloaded) or a 5xx. */
    API_UNAVAILABLE(true),
    /** The session used up its turns ({@code error_max_turns}). */
    MAX_TURNS(false),
    /** The session reached its spending cap ({@code error_max_budget_usd}). */
    BUDGET_EXCEEDED(false),
    /** Any other failure: the session reported an error, the API refused the request, the process crashed. */
    SESSION_ERROR(false),
    CANCELLED(false);

    /** API statuses that say "try again later" rather than "this request is wrong". */
    private static final Set<Integer> TRANSIENT_API_STATUSES = Set.of(408, 429, 500, 502, 503, 504, 529);

    private final boolean retryable;

    FailureCause(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether this cause may be retried automatically; TIMED_OUT further needs the task's consent. */
    public boolean retryable() {
        return retryable;
    }

    /** Classifies how a worker said a session ended; null for a success. */
    public static FailureCause of(SessionOutcome outcome, SessionResult result) {
        return switch (outcome) {
            case SUCCEEDED, WAITING_FOR_INPUT -> null;
            case CANCELLED -> CANCELLED;
            case TIMED_OUT -> TIMED_OUT;
            case FAILED -> ofFailedResult(result);
        };
    }

    private static FailureCause ofFailedResult(SessionResult result) {
        if (result == null) {
            return SESSION_ERROR;
        }
        if (result.apiErrorStatus() != null && TRANSIENT_API_STATUSES.contains(result.apiErrorStatus())) {
            return API_UNAVAILABLE;
        }
        if ("error_max_turns".equals(result.subtype())) {
            return MAX_TURNS;
        }
        if ("error_max_budget_usd".equals(result.subtype())) {
            return BUDGET_EXCEEDED;
        }
        return SESSION_ERROR;
    }
}
