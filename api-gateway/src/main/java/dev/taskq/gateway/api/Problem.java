package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskq.gateway.domain.FieldError;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail, the body of every error response. */
@Schema(name = "Problem", description = "An error, as application/problem+json (RFC 9457).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(description = "Identifies the kind of problem.", examples = "https://taskq.dev/problems/validation")
        URI type,
        String title,
        int status,
        @Schema(description = "What went wrong with this request and how to fix it.")
        String detail,
        @Schema(description = "The request path.")
        String instance,
        @Schema(description = "Each offending field, for validation problems.")
        List<FieldError> errors,
        @Schema(description = "Quote it when reporting an internal error; the server log holds the details under it.")
        String correlationId) {

    /** The base of every problem type URI. */
    public static final String TYPE_BASE = "https://taskq.dev/problems/";
}
