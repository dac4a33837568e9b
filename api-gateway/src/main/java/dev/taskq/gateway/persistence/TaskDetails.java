package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A task with its dependency ids, its attempts (oldest first), its notify entries (in the client's order), the
 * questions its sessions asked (oldest first) and, while it has not started, why it waits.
 */
public record TaskDetails(TaskEntity task, List<UUID> dependsOn, List<TaskAttemptEntity> attempts,
                          List<TaskNotificationEntity> notifications, List<TaskQuestionEntity> questions, String waitingReason) {

    /** The question the task waits to have answered: its current attempt's, while it is WAITING_FOR_INPUT. */
    public Optional<TaskQuestionEntity> pendingQuestion() {
        return pendingQuestion(task, questions);
    }

    /** The question among {@code questions} that {@code task} waits to have answered, if it waits for one. */
    public static Optional<TaskQuestionEntity> pendingQuestion(TaskEntity task, List<TaskQuestionEntity> questions) {
        if (task.status != TaskStatus.WAITING_FOR_INPUT) {
            return Optional.empty();
        }
        return questions.stream()
                .filter(question -> question.key.attempt() == task.currentAttempt && question.answer == null)
                .findFirst();
    }
}
