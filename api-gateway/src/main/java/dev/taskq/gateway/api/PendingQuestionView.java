package dev.taskq.gateway.api;

import dev.taskq.store.persistence.TaskQuestionEntity;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The question a WAITING_FOR_INPUT task's session asked, which POST /api/v1/tasks/{id}/answer answers. */
@Schema(name = "PendingQuestion", description = "The question the task's session asked a human and waits to have answered "
        + "(POST /api/v1/tasks/{id}/answer); null unless the task is WAITING_FOR_INPUT.")
public record PendingQuestionView(
        @Schema(description = "The question, as the session asked it.") String text,
        Instant askedAt,
        @Schema(description = "The attempt whose session asked; the answer resumes that session.") int attempt) {

    static PendingQuestionView of(TaskQuestionEntity question) {
        return question == null ? null : new PendingQuestionView(question.question, question.askedAt, question.key.attempt());
    }
}
