package dev.taskq.store.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of attempt rows. */
@ApplicationScoped
public class TaskAttemptRepository implements PanacheRepositoryBase<TaskAttemptEntity, TaskAttemptEntity.Key> {

    public Optional<TaskAttemptEntity> find(UUID taskId, int attempt) {
        return findByIdOptional(new TaskAttemptEntity.Key(taskId, attempt));
    }

    /**
     * The current attempt row of each given task, loaded in one query so later finds in the transaction cost none.
     * By primary key on purpose: "every attempt of these task ids" was estimated from the column's statistics, and
     * while task_attempts has none yet (a fresh or fast-growing table) the planner scanned the whole table for it.
     */
    public List<TaskAttemptEntity> listCurrent(Collection<TaskEntity> tasks) {
        List<TaskAttemptEntity.Key> keys = tasks.stream()
                .filter(task -> task.currentAttempt > 0)
                .map(task -> new TaskAttemptEntity.Key(task.id, task.currentAttempt))
                .toList();
        if (keys.isEmpty()) {
            return List.of();
        }
        return list("key in ?1", keys);
    }

    public List<TaskAttemptEntity> listFor(UUID taskId) {
        return list("key.taskId = ?1 order by key.attempt", taskId);
    }
}
