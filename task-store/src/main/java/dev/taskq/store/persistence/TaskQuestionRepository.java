package dev.taskq.store.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The questions tasks' sessions asked. */
@ApplicationScoped
public class TaskQuestionRepository implements PanacheRepositoryBase<TaskQuestionEntity, TaskAttemptEntity.Key> {

    public Optional<TaskQuestionEntity> find(UUID taskId, int attempt) {
        return findByIdOptional(new TaskAttemptEntity.Key(taskId, attempt));
    }

    /** A task's questions, oldest first. */
    public List<TaskQuestionEntity> listFor(UUID taskId) {
        return list("key.taskId = ?1 order by key.attempt", taskId);
    }
}
