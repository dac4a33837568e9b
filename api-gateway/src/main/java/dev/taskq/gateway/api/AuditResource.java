package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.gateway.persistence.AuditLog;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log, for admins: who submitted, cancelled, answered, retried, created or revoked what, and when. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@RequiresRole(Role.ADMIN)
@Tag(name = "Audit")
public class AuditResource {

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @Operation(summary = "Read the audit log", description = "Newest first, a page at a time; every filter is optional.")
    @APIResponse(responseCode = "200", description = "A page of audit rows",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditPage.class)))
    @APIResponse(responseCode = "400", description = "A filter, the limit or the cursor is malformed; errors names it",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public AuditPage list(
            @QueryParam("keyId") @Parameter(description = "Only this key's rows", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            String keyId,
            @QueryParam("action") @Parameter(description = "Only this action, e.g. task.cancel") String action,
            @QueryParam("targetId") @Parameter(description = "Only rows about this target, e.g. a task id") String targetId,
            @QueryParam("since") @Parameter(description = "Only rows at or after this instant (ISO-8601)") String since,
            @QueryParam("until") @Parameter(description = "Only rows before this instant (ISO-8601)") String until,
            @QueryParam("limit") @Parameter(description = "Page size, 1 to 500 (default 100)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100"))
            String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        List<FieldError> errors = new ArrayList<>();
        AuditLog.Filter filter = new AuditLog.Filter(uuid("keyId", keyId, errors), blankToNull(action),
                blankToNull(targetId), instant("since", since, errors), instant("until", until, errors));
        Long before = cursor(cursor, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        int size = RequestParams.limit(limit, 100, 500);
        List<AuditLog.Entry> page = log.list(filter, before, size);
        return new AuditPage(page.stream().map(AuditEntryView::of).toList(),
                page.size() == size ? Long.toString(page.getLast().id()) : null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static UUID uuid(String field, String raw, List<FieldError> errors) {
        if (blankToNull(raw) == null) {
            return null;
        }
        try {
            return UUID.fromString(raw.trim());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be an API key id (a UUID)"));
            return null;
        }
    }

    private static Instant instant(String field, String raw, List<FieldError> errors) {
        if (blankToNull(raw) == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant with an offset, e.g. 2026-01-31T12:00:00Z"));
            return null;
        }
    }

    private static Long cursor(String raw, List<FieldError> errors) {
        if (blankToNull(raw) == null) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        errors.add(new FieldError("cursor", "is not a cursor this API returned; pass nextCursor from the previous page"));
        return null;
    }
}
