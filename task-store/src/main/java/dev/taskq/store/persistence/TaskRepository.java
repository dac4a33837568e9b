package dev.taskq.store.persistence;

import dev.taskq.common.domain.TaskStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and locks of task rows. */
@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<TaskEntity, UUID> {

    /** Locks the row for the rest of the transaction; every state change starts here. */
    public Optional<TaskEntity> lockForUpdate(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Locks the given tasks FOR UPDATE in one statement, in id order; ids not found are simply absent from the result.
     * A later {@link #lockForUpdate} of one of them in the same transaction finds it locked and costs no query.
     */
    public List<TaskEntity> lockAllForUpdate(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return getEntityManager()
                .createQuery("select t from TaskEntity t where t.id in :ids order by t.id", TaskEntity.class)
                .setParameter("ids", ids)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /**
     * Locks the given tasks FOR SHARE, so a dependency cannot finish (which needs FOR UPDATE) while a
     * new dependent is being attached to it; ids not found are simply absent from the result.
     */
    public List<TaskEntity> lockForShare(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return getEntityManager()
                .createQuery("select t from TaskEntity t where t.id in :ids order by t.id", TaskEntity.class)
                .setParameter("ids", ids)
                .setLockMode(LockModeType.PESSIMISTIC_READ)
                .getResultList();
    }

    /**
     * The WAITING tasks that depend on the given task, locked in id order so fan-ins cannot deadlock.
     *
     * <p>Two statements on purpose: the edges first (task_dependencies_depends_on_idx), then the dependents by
     * primary key. As one {@code status = WAITING and id in (subquery)} statement the plan rested on the status
     * statistics, which a big workflow makes stale at once (thousands of WAITING rows inserted in one transaction,
     * estimated at a dozen): the planner then hashed every WAITING task for each finished one, 5 to 15 ms a call, the
     * bulk of the event applier's time in the workflow benchmark. The second statement therefore names no status
     * (the primary key is its only way in) and the status is checked here; a dependent that is no longer WAITING
     * (ended by another dependency) stays locked to the end of the transaction, which nothing waits on. It is SQL with
     * one array parameter rather than a query with an IN list: Hibernate cannot cache the translation of a list whose
     * length varies, and translated it again for every finished task (a sixth of the event consumer's JFR samples).
     *
     * <p>Neither statement flushes the transaction's pending changes first (an event batch would pay a round trip per
     * finished task for it), so a dependent this transaction already moved on in memory comes back as the managed
     * entity, whose status tells, and is left out here.
     */
    @SuppressWarnings("unchecked")
    public List<TaskEntity> lockWaitingDependentsOf(UUID taskId) {
        List<UUID> dependents = getEntityManager()
                .createQuery("select d.edge.taskId from TaskDependencyEntity d where d.edge.dependsOn = :taskId", UUID.class)
                .setParameter("taskId", taskId)
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
        if (dependents.isEmpty()) {
            return List.of();
        }
        // FOR NO KEY UPDATE is what Hibernate's PESSIMISTIC_WRITE takes on PostgreSQL, as in every other task lock.
        List<TaskEntity> locked = getEntityManager()
                .createNativeQuery("select * from tasks where id = any(?1) order by id for no key update", TaskEntity.class)
                .setParameter(1, dependents.toArray(UUID[]::new))
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
        return locked.stream().filter(task -> task.status == TaskStatus.WAITING).toList();
    }

    public List<UUID> dependenciesOf(UUID taskId) {
        return getEntityManager()
                .createQuery("select d.edge.dependsOn from TaskDependencyEntity d where d.edge.taskId = :taskId order by d.edge.dependsOn", UUID.class)
                .setParameter("taskId", taskId)
                .getResultList();
    }
}
