package dev.taskq.gateway.domain;

/** A key's quota (unfinished tasks, or today's cost) is used up: a 429 whose Retry-After says when to try again. */
public class QuotaExceededException extends RuntimeException {

    private final long retryAfterSeconds;

    public QuotaExceededException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
