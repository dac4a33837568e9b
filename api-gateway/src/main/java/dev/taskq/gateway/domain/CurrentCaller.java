package dev.taskq.gateway.domain;

import dev.taskq.gateway.persistence.AuditLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;

/**
 * The caller of the request being served (REST or MCP), as the authentication filter established it, and the checks
 * commands make against it. Other features plug in here: {@code caller.require(Role.ADMIN)} in a command, or
 * {@code @RequiresRole} on a REST resource method.
 */
// One bean for REST and MCP: both run inside the Vert.x request the filter put the caller on.
@Singleton
public class CurrentCaller {

    /** Where the authentication filter keeps the Caller in the routing context. */
    public static final String CONTEXT_KEY = "taskq.caller";

    private final CurrentVertxRequest request;
    private final AuditLog audit;

    public CurrentCaller(CurrentVertxRequest request, AuditLog audit) {
        this.request = request;
        this.audit = audit;
    }

    /** The authenticated caller; throws IllegalStateException outside an authenticated request (a bug, not a 401). */
    public Caller get() {
        return find().orElseThrow(() -> new IllegalStateException("no authenticated request is being served"));
    }

    /** The caller, when an authenticated request is being served. */
    public Optional<Caller> find() {
        RoutingContext context = request.getCurrent();
        return Optional.ofNullable(context == null ? null : context.get(CONTEXT_KEY));
    }

    /** The caller's role. */
    public Role role() {
        return get().role();
    }

    /** Throws AccessDeniedException (403) unless the caller's role includes {@code required}. */
    public void require(Role required) {
        Caller caller = get();
        if (!caller.role().includes(required)) {
            throw deny("This needs the " + required.wire() + " role; the key '" + caller.name() + "' has the "
                    + caller.role().wire() + " role.");
        }
    }

    /** Throws AccessDeniedException unless the caller may submit into {@code pool}. */
    public void requirePool(String pool) {
        Caller caller = get();
        if (!caller.mayUsePool(pool)) {
            throw deny("The key '" + caller.name() + "' may not submit into pool '" + pool + "'; it may use "
                    + String.join(", ", caller.pools().stream().sorted().toList()) + ".");
        }
    }

    /**
     * Throws AccessDeniedException unless the caller may act on a task, workflow or schedule whose owner is the key
     * {@code ownerKeyId} (who submitted or created it): admins on any, submitters on their own only (what a bootstrap
     * token made, with no owner key, belongs to admins).
     */
    public void requireOwner(String what, UUID id, UUID ownerKeyId) {
        Caller caller = get();
        require(Role.SUBMITTER);
        if (caller.role() != Role.ADMIN && (caller.keyId() == null || !caller.keyId().equals(ownerKeyId))) {
            throw deny("The " + what + " " + id + " was not submitted by the key '" + caller.name()
                    + "'; a submitter may change only its own, an admin any.");
        }
    }

    /**
     * Records in the audit log that the current caller was refused (in a transaction of its own, so the rollback of the
     * refused command keeps it) and returns the 403 to throw.
     */
    public AccessDeniedException deny(String reason) {
        find().ifPresent(caller -> {
            RoutingContext context = request.getCurrent();
            String target = context.request().method() + " " + context.request().path();
            QuarkusTransaction.requiringNew().run(() -> audit.append(caller, "request.denied", "request",
                    target.length() > 100 ? target.substring(0, 99) + "…" : target, "denied", reason));
        });
        return new AccessDeniedException(reason);
    }
}
