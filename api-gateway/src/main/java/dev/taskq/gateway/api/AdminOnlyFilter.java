package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.CallerRoles;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses {@link AdminOnly} operations to callers without the admin role, after authentication and before the body is read. */
public class AdminOnlyFilter {

    static final String MESSAGE = "Only an admin may change agent roles (the caller lacks the admin role).";

    private final CallerRoles callerRoles;

    public AdminOnlyFilter(CallerRoles callerRoles) {
        this.callerRoles = callerRoles;
    }

    @ServerRequestFilter
    public void requireAdmin(ResourceInfo resource) {
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(AdminOnly.class)
                && !callerRoles.isAdmin()) {
            throw new ForbiddenException(MESSAGE);
        }
    }
}
