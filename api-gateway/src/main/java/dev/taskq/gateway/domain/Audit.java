package dev.taskq.gateway.domain;

import dev.taskq.gateway.persistence.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;

/** Records who did what in the audit log: called by each command inside its transaction, so a rollback leaves no row. */
@ApplicationScoped
public class Audit {

    static final String SUCCEEDED = "succeeded";

    private final AuditLog log;
    private final CurrentCaller caller;

    public Audit(AuditLog log, CurrentCaller caller) {
        this.log = log;
        this.caller = caller;
    }

    /** The current caller did {@code action} (e.g. task.cancel) to the target. */
    public void succeeded(String action, String targetType, Object targetId) {
        succeeded(action, targetType, targetId, null);
    }

    public void succeeded(String action, String targetType, Object targetId, String detail) {
        // A command run outside an authenticated request (none today) has nobody to record.
        caller.find().ifPresent(current -> log.append(current, action, targetType,
                targetId == null ? null : targetId.toString(), SUCCEEDED, detail));
    }
}
