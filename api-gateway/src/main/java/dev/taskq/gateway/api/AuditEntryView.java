package dev.taskq.gateway.api;

import dev.taskq.gateway.persistence.AuditLog;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One audit row: who did what to which target, when, and whether it was allowed. */
public record AuditEntryView(
        long id,
        Instant at,
        @Schema(description = "The acting API key; null for a bootstrap token.")
        UUID keyId,
        @Schema(description = "The key's name then, or 'bootstrap'.")
        String actor,
        @Schema(description = "e.g. task.submit, task.cancel, api-key.revoke, destination.create, request.denied")
        String action,
        String targetType,
        String targetId,
        @Schema(enumeration = {"succeeded", "denied"})
        String outcome,
        String detail) {

    static AuditEntryView of(AuditLog.Entry entry) {
        return new AuditEntryView(entry.id(), entry.at(), entry.keyId(), entry.actor(), entry.action(), entry.targetType(),
                entry.targetId(), entry.outcome(), entry.detail());
    }
}
