package dev.taskq.gateway.domain;

/**
 * An {@code Idempotency-Key} as the store keeps it: scoped by caller and endpoint, with a hash of the request it
 * came with, so a repeat of the same request finds what the first one created and another request is a conflict.
 *
 * @param principal a stable, non-secret identity of the caller (never the token itself)
 * @param scope the endpoint: {@link #TASKS} or {@link #WORKFLOWS}
 * @param requestHash SHA-256 (hex) of the request as parsed, in canonical JSON
 */
public record IdempotencyKey(String principal, String scope, String key, String requestHash) {
    public static final String TASKS = "tasks";
    public static final String WORKFLOWS = "workflows";
}
