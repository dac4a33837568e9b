package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The reads a manual retry or a resume needs: a task's retry, its upstream, its downstream that never ran, its last session. */
@ApplicationScoped
public class LineageQueries {

    /** A task's id and status, without its (possibly long) prompt. */
    public record TaskIdAndStatus(UUID id, TaskStatus status) {}

    private final EntityManager entityManager;

    public LineageQueries(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The manual retry of a task, if it has one (served by the unique index tasks_retry_of_unique). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> retryOf(UUID taskId) {
        return entityManager.createQuery("select t.id from TaskEntity t where t.retryOf = :id", UUID.class)
                .setParameter("id", taskId)
                .getResultStream()
                .findFirst();
    }

    /** The task's dependencies with their statuses, in id order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TaskIdAndStatus> dependencyStates(UUID taskId) {
        return entityManager.createQuery("""
                        select t.id, t.status from TaskEntity t
                        where t.id in (select d.edge.dependsOn from TaskDependencyEntity d where d.edge.taskId = :id)
                        order by t.id""", Object[].class)
                .setParameter("id", taskId)
                .getResultStream()
                .map(row -> new TaskIdAndStatus((UUID) row[0], (TaskStatus) row[1]))
                .toList();
    }

    /**
     * The tasks below {@code rootId} that never ran because of it, transitively: each ended UPSTREAM_FAILED, SKIPPED
     * or CANCELLED with a reason that names the task above it (TaskStateWriter's dependency reason), was never
     * dispatched, and has no retry yet. One recursive query, however deep the graph.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<UUID> dependentsEndedBecauseOf(UUID rootId) {
        return entityManager.createNativeQuery("""
                        with recursive below(id) as (
                            select cast(?1 as uuid)
                            union
                            select t.id
                            from below b
                            join task_dependencies d on d.depends_on = b.id
                            join tasks t on t.id = d.task_id
                            where t.status in ('UPSTREAM_FAILED', 'SKIPPED', 'CANCELLED')
                              and t.dispatched_at is null
                              and strpos(t.status_reason, cast(b.id as text)) > 0
                              and not exists (select 1 from tasks r where r.retry_of = t.id)
                        )
                        select id from below where id <> cast(?1 as uuid)""", UUID.class)
                .setParameter(1, rootId.toString())
                .getResultList();
    }

    /** The tasks with these ids, in no particular order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TaskEntity> load(Collection<UUID> ids) {
        List<TaskEntity> found = new ArrayList<>();
        for (List<UUID> chunk : WorkflowQueries.chunks(ids)) {
            found.addAll(entityManager.createQuery("select t from TaskEntity t where t.id in :ids", TaskEntity.class)
                    .setParameter("ids", chunk)
                    .getResultList());
        }
        return found;
    }

    /** Each task's dependency ids (ordered by id, as a task's view lists them). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, List<UUID>> dependenciesOf(Collection<UUID> taskIds) {
        Map<UUID, List<UUID>> dependencies = new HashMap<>();
        taskIds.forEach(id -> dependencies.put(id, new ArrayList<>()));
        for (List<UUID> chunk : WorkflowQueries.chunks(taskIds)) {
            entityManager.createQuery("""
                            select d.edge.taskId, d.edge.dependsOn from TaskDependencyEntity d
                            where d.edge.taskId in :ids order by d.edge.taskId, d.edge.dependsOn""", Object[].class)
                    .setParameter("ids", chunk)
                    .getResultList()
                    .forEach(row -> dependencies.get((UUID) row[0]).add((UUID) row[1]));
        }
        return dependencies;
    }

    /** Each task's notify entries in the client's order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, List<TaskNotificationEntity>> notificationsOf(Collection<UUID> taskIds) {
        Map<UUID, List<TaskNotificationEntity>> entries = new LinkedHashMap<>();
        taskIds.forEach(id -> entries.put(id, new ArrayList<>()));
        for (List<UUID> chunk : WorkflowQueries.chunks(taskIds)) {
            entityManager.createQuery("""
                            select n from TaskNotificationEntity n
                            where n.key.taskId in :ids order by n.key.taskId, n.key.position""", TaskNotificationEntity.class)
                    .setParameter("ids", chunk)
                    .getResultList()
                    .forEach(entry -> entries.get(entry.key.taskId()).add(entry));
        }
        return entries;
    }

    /** The latest attempt of the task whose session process started: the session a resume continues. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<TaskAttemptEntity> lastStartedAttempt(UUID taskId) {
        return entityManager.createQuery("""
                        select a from TaskAttemptEntity a
                        where a.key.taskId = :id and a.startedAt is not null
                        order by a.key.attempt desc""", TaskAttemptEntity.class)
                .setParameter("id", taskId)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }
}
