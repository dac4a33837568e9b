package dev.taskq.store.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and locks of attempt rows. */
@ApplicationScoped
public class TaskAttemptRepository implements PanacheRepositoryBase<TaskAttemptEntity, TaskAttemptEntity.Key> {

    public Optional<TaskAttemptEntity> find(UUID taskId, int attempt) {
        return findByIdOptional(new TaskAttemptEntity.Key(taskId, attempt));
    }

    /**
     * Locks the current attempt row of each given task (FOR NO KEY UPDATE) and loads them, in one statement and in
     * (task_id, attempt) order; later finds in the transaction cost no query. Every statement that locks several
     * attempts takes them in that order (the heartbeat's too, {@code AttemptLeases}), so two such transactions never
     * wait for each other in a cycle. Before, the event consumer locked its attempts only as Hibernate flushed them,
     * while a heartbeat renewed its worker's leases in index order: PostgreSQL found the deadlock after its
     * deadlock_timeout (1 s) and the consumer's whole batch was applied again one event at a time.
     * By primary key on purpose: "every attempt of these task ids" was estimated from the column's statistics, and
     * while task_attempts has none yet (a fresh or fast-growing table) the planner scanned the whole table for it.
     */
    public List<TaskAttemptEntity> lockCurrent(Collection<TaskEntity> tasks) {
        List<TaskEntity> attempted = tasks.stream().filter(task -> task.currentAttempt > 0).toList();
        if (attempted.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createNativeQuery("""
                        select a.* from task_attempts a
                        join unnest(?1, ?2) as wanted(task_id, attempt) on a.task_id = wanted.task_id and a.attempt = wanted.attempt
                        order by a.task_id, a.attempt
                        for no key update of a""", TaskAttemptEntity.class)
                .setParameter(1, attempted.stream().map(task -> task.id).toArray(UUID[]::new))
                .setParameter(2, attempted.stream().map(task -> task.currentAttempt).toArray(Integer[]::new))
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
    }

    public List<TaskAttemptEntity> listFor(UUID taskId) {
        return list("key.taskId = ?1 order by key.attempt", taskId);
    }
}
