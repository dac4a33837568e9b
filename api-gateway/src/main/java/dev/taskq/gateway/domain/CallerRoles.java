package dev.taskq.gateway.domain;

import java.util.Set;

/**
 * The roles of the caller of the current request: what decides who may submit command tasks and who may change agent
 * roles. The one place authorization asks, so API keys with roles plug in by providing a bean of this type (it replaces
 * {@link AllTokensAdmin}, the default).
 */
public interface CallerRoles {

    /** Manages agent roles and everything a submitter may do. */
    String ADMIN = "admin";

    /** The current caller's roles; empty when the caller has none (or the request is not authenticated). */
    Set<String> current();

    default boolean isAdmin() {
        return current().contains(ADMIN);
    }
}
