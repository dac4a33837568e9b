package dev.taskq.gateway.domain;

import java.math.BigDecimal;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the API key (or bootstrap token) a request authenticated with, its role, the pools it may submit into
 * and its own limits.
 *
 * @param keyId the key's id; null for a bootstrap token (taskq.api.tokens)
 * @param name the key's name, or {@code bootstrap}; recorded with what the caller submits and does
 * @param role what the caller may do
 * @param pools the pools a submitter may submit into; empty means any
 * @param principal a stable, non-secret identity that scopes Idempotency-Keys and rate limits
 * @param limits the key's overrides of the configured limits
 */
public record Caller(UUID keyId, String name, Role role, Set<String> pools, String principal, Limits limits) {

    /** The name tasks and the audit log record for a bootstrap token. */
    public static final String BOOTSTRAP = "bootstrap";

    /** A key's own limits; a null field means the configured default. */
    public record Limits(Double requestsPerSecond, Integer maxRunningTasks, BigDecimal dailyBudgetUsd) {
        public static final Limits DEFAULTS = new Limits(null, null, null);
    }

    public Caller {
        pools = Set.copyOf(pools);
    }

    /** A configured bootstrap token: an admin without a key row. */
    public static Caller bootstrap(String principal) {
        return new Caller(null, BOOTSTRAP, Role.ADMIN, Set.of(), principal, Limits.DEFAULTS);
    }

    /** Whether the caller may submit into {@code pool}. */
    public boolean mayUsePool(String pool) {
        return pools.isEmpty() || pools.contains(pool);
    }
}
