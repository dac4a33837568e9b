package dev.taskq.gateway.api;

import dev.taskq.store.persistence.TaskQuestionEntity;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A question one of a task's sessions asked a human, and the answer once given. */
@Schema(name = "TaskQuestion")
public record QuestionView(
        @Schema(description = "The attempt whose session asked.") int attempt,
        String question,
        Instant askedAt,
        @Schema(description = "Null until answered.") String answer,
        Instant answeredAt) {

    static QuestionView of(TaskQuestionEntity question) {
        return new QuestionView(question.key.attempt(), question.question, question.askedAt, question.answer, question.answeredAt);
    }
}
