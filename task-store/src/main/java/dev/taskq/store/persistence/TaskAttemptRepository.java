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

    /** Every attempt row of the given tasks, loaded in one query so later finds in the transaction cost none. */
    public List<TaskAttemptEntity> listForAll(Collection<UUID> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        return list("key.taskId in ?1", taskIds);
    }

    public List<TaskAttemptEntity> listFor(UUID taskId) {
        return list("key.taskId = ?1 order by key.attempt", taskId);
    }
}
