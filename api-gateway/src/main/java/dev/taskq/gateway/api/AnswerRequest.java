package dev.taskq.gateway.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/v1/tasks/{id}/answer. */
@Schema(name = "AnswerRequest", description = "The answer to the question a WAITING_FOR_INPUT task's session asked.")
public record AnswerRequest(
        @Schema(required = true, description = TaskFieldRules.ANSWER, maxLength = TaskFieldRules.ANSWER_CHARS)
        @NotBlank(message = TaskFieldRules.ANSWER_BLANK_MESSAGE)
        @Size(max = TaskFieldRules.ANSWER_CHARS, message = TaskFieldRules.ANSWER_LENGTH_MESSAGE)
        // Postgres text cannot hold NUL: caught here, it is a 400 naming the field instead of a failed write.
        @Pattern(regexp = "[^\\u0000]*", message = "must not contain a NUL character")
        String answer) {}
