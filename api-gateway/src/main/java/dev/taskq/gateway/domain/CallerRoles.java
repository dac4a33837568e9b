package dev.taskq.gateway.domain;

import java.util.Set;

/**
 * The role names the caller of the current request holds, for settings that name roles (who may submit command tasks,
 * {@code taskq.api.command-tasks.submitter-roles}). {@link KeyCallerRoles} reads them off the API key.
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
