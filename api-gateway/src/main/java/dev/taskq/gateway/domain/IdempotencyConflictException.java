package dev.taskq.gateway.domain;

/** An Idempotency-Key came back with a request other than the one it was first used for. */
public class IdempotencyConflictException extends RuntimeException {
    public IdempotencyConflictException(String key, String scope) {
        super("The Idempotency-Key '" + key + "' was already used with a different " + scope
                + " request; send a new key for a new request, or repeat the first request exactly.");
    }
}
