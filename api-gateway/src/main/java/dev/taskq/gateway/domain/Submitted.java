package dev.taskq.gateway.domain;

/**
 * What a create request produced: a new resource, or (for a repeated Idempotency-Key and request) the one the
 * first request created, as it is now.
 */
public record Submitted<T>(T value, boolean created) {

    public static <T> Submitted<T> created(T value) {
        return new Submitted<>(value, true);
    }

    public static <T> Submitted<T> replayed(T value) {
        return new Submitted<>(value, false);
    }
}
