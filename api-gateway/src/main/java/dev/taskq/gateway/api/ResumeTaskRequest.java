package dev.taskq.gateway.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The optional body of POST /api/v1/tasks/{id}/resume. */
@Schema(name = "ResumeTaskRequest")
public record ResumeTaskRequest(
        @Schema(description = "The prompt of the resumed session. Default: \"Continue where you left off.\"")
        @JsonDeserialize(using = JsonTextOnly.class)
        String additionalContext) {}
