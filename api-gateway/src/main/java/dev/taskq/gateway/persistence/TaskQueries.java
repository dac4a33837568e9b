package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.notification.TaskNotificationRepository;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The gateway's reads of tasks: one task in full, and the newest-first list. */
@ApplicationScoped
public class TaskQueries {

    private final TaskRepository tasks;
    private final TaskAttemptRepository attempts;
    private final TaskNotificationRepository notifications;

    public TaskQueries(TaskRepository tasks, TaskAttemptRepository attempts, TaskNotificationRepository notifications) {
        this.tasks = tasks;
        this.attempts = attempts;
        this.notifications = notifications;
    }

    @Transactional
    public Optional<TaskDetails> details(UUID id) {
        return tasks.findByIdOptional(id)
                .map(task -> new TaskDetails(task, tasks.dependenciesOf(id), attempts.listFor(id), notifications.listFor(id)));
    }

    /** Details of a task this transaction just wrote (or cancelled), read in that same transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskDetails detailsOf(TaskEntity task) {
        return new TaskDetails(task, tasks.dependenciesOf(task.id), attempts.listFor(task.id), notifications.listFor(task.id));
    }

    /**
     * Newest first, by keyset: the row-value comparison on (created_at, id) lets tasks_status_created_idx
     * (one status) or tasks_created_idx (none) serve each page without an offset.
     */
    @Transactional
    public TaskListPage list(Set<TaskStatus> statuses, String pool, ListCursor after, int limit) {
        StringBuilder hql = new StringBuilder("from TaskEntity t where 1 = 1");
        if (!statuses.isEmpty()) {
            hql.append(" and t.status in :statuses");
        }
        if (pool != null) {
            hql.append(" and t.pool = :pool");
        }
        if (after != null) {
            hql.append(" and (t.createdAt, t.id) < (:afterCreatedAt, :afterId)");
        }
        hql.append(" order by t.createdAt desc, t.id desc");
        TypedQuery<TaskEntity> query = tasks.getEntityManager().createQuery(hql.toString(), TaskEntity.class);
        if (!statuses.isEmpty()) {
            query.setParameter("statuses", statuses);
        }
        if (pool != null) {
            query.setParameter("pool", pool);
        }
        if (after != null) {
            query.setParameter("afterCreatedAt", after.createdAt());
            query.setParameter("afterId", after.id());
        }
        // One row more than asked tells whether another page follows.
        List<TaskEntity> rows = query.setMaxResults(limit + 1).getResultList();
        if (rows.size() <= limit) {
            return new TaskListPage(rows, null);
        }
        TaskEntity last = rows.get(limit - 1);
        return new TaskListPage(rows.subList(0, limit), new ListCursor(last.createdAt, last.id));
    }
}
