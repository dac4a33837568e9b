package dev.taskq.gateway.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The optional body of POST /api/v1/tasks/{id}/retry. */
@Schema(name = "RetryTaskRequest")
public record RetryTaskRequest(
        @Schema(description = "Appended to the original prompt after a blank line, e.g. what to do differently this time.")
        @JsonDeserialize(using = JsonTextOnly.class)
        String additionalContext,
        @Schema(description = "Also re-create every task below that never ran because of this one (it ended UPSTREAM_FAILED, "
                + "SKIPPED or CANCELLED naming it), depending on the new tasks. Default true.")
        Boolean includeDependents) {}
