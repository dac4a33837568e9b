package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.CurrentCaller;
import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses (403) a REST call whose resource method needs a role the caller's key lacks: {@link RequiresRole} on the
 * method or its class, otherwise viewer for GET and submitter for anything else.
 */
// After matching, so the resource method is known, and before the body is read: a viewer's POST is a 403 whatever its body.
public class RoleFilter {

    private final CurrentCaller caller;

    public RoleFilter(CurrentCaller caller) {
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authorize(ContainerRequestContext request, ResourceInfo resource) {
        caller.require(Role.requiredBy(resource.getResourceMethod(), resource.getResourceClass(), defaultRole(request.getMethod())));
    }

    static Role defaultRole(String method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                ? Role.VIEWER : Role.SUBMITTER;
    }
}
