package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.store.notification.WorkflowNotificationEntity;
import dev.taskq.store.persistence.WorkflowEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The gateway's reads of workflows: one with its graph, the newest-first list, and which task ids exist. */
@ApplicationScoped
public class WorkflowQueries {

    /** One page of the newest-first workflow list; {@code next} is null on the last page. */
    public record Page(List<WorkflowEntity> workflows, ListCursor next) {}

    /** Ids per IN list: well below the 32767 parameters a Postgres statement may bind. */
    private static final int CHUNK = 10_000;

    private final EntityManager entityManager;

    public WorkflowQueries(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional
    public Optional<WorkflowDetails> details(UUID id) {
        return Optional.ofNullable(entityManager.find(WorkflowEntity.class, id)).map(this::detailsOf);
    }

    /**
     * The workflow's nodes and edges, in two queries whatever its size (tasks_workflow_idx, then the edges of those
     * tasks), without loading prompts or results. Nodes come in the order the client listed them (tasks added by a
     * later retry after them); each node's dependencies in that same order, tasks outside the workflow last.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WorkflowDetails detailsOf(WorkflowEntity workflow) {
        List<Object[]> rows = entityManager.createQuery("""
                        select t.id, t.workflowRef, t.status, t.statusReason, t.onDependencyFailure, t.retryOf, t.createdAt,
                               t.workflowPosition
                        from TaskEntity t where t.workflowId = :workflow""", Object[].class)
                .setParameter("workflow", workflow.id)
                .getResultList();
        Map<UUID, List<UUID>> dependencies = new HashMap<>();
        rows.forEach(row -> dependencies.put((UUID) row[0], new ArrayList<>()));
        entityManager.createQuery("""
                        select d.edge.taskId, d.edge.dependsOn from TaskDependencyEntity d
                        where d.edge.taskId in (select t.id from TaskEntity t where t.workflowId = :workflow)""", Object[].class)
                .setParameter("workflow", workflow.id)
                .getResultList()
                .forEach(edge -> dependencies.get((UUID) edge[0]).add((UUID) edge[1]));

        rows.sort(Comparator.comparing((Object[] row) -> (Integer) row[7], Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(row -> (Instant) row[6])
                .thenComparing(row -> (UUID) row[0]));
        List<Object[]> ordered = rows;
        Map<UUID, Integer> position = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            position.put((UUID) ordered.get(i)[0], i);
        }
        Comparator<UUID> byPosition = Comparator.comparing((UUID id) -> position.getOrDefault(id, Integer.MAX_VALUE))
                .thenComparing(Comparator.naturalOrder());
        List<WorkflowDetails.Node> nodes = new ArrayList<>(ordered.size());
        for (Object[] row : ordered) {
            List<UUID> dependsOn = dependencies.get((UUID) row[0]);
            dependsOn.sort(byPosition);
            nodes.add(new WorkflowDetails.Node((UUID) row[0], (String) row[1], (TaskStatus) row[2], (String) row[3],
                    (DependencyFailurePolicy) row[4], (UUID) row[5], List.copyOf(dependsOn)));
        }
        List<WorkflowNotificationEntity> notifications = entityManager.createQuery(
                        "from WorkflowNotificationEntity n where n.key.workflowId = :workflow order by n.key.position",
                        WorkflowNotificationEntity.class)
                .setParameter("workflow", workflow.id)
                .getResultList();
        return new WorkflowDetails(workflow, nodes, notifications);
    }

    /** Newest first, by keyset on (created_at, id): workflows_created_idx serves each page without an offset. */
    @Transactional
    public Page list(Set<WorkflowStatus> statuses, ListCursor after, int limit) {
        StringBuilder hql = new StringBuilder("from WorkflowEntity w where 1 = 1");
        if (!statuses.isEmpty()) {
            hql.append(" and w.status in :statuses");
        }
        if (after != null) {
            hql.append(" and (w.createdAt, w.id) < (:afterCreatedAt, :afterId)");
        }
        hql.append(" order by w.createdAt desc, w.id desc");
        TypedQuery<WorkflowEntity> query = entityManager.createQuery(hql.toString(), WorkflowEntity.class);
        if (!statuses.isEmpty()) {
            query.setParameter("statuses", statuses);
        }
        if (after != null) {
            query.setParameter("afterCreatedAt", after.createdAt());
            query.setParameter("afterId", after.id());
        }
        // One row more than asked tells whether another page follows.
        List<WorkflowEntity> rows = query.setMaxResults(limit + 1).getResultList();
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        WorkflowEntity last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), new ListCursor(last.createdAt, last.id));
    }

    /** Which of these task ids exist: one query per 10,000 ids. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> existingTaskIds(Collection<UUID> ids) {
        Set<UUID> found = new HashSet<>();
        for (List<UUID> chunk : chunks(ids)) {
            found.addAll(entityManager.createQuery("select t.id from TaskEntity t where t.id in :ids", UUID.class)
                    .setParameter("ids", chunk)
                    .getResultList());
        }
        return found;
    }

    static List<List<UUID>> chunks(Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        List<List<UUID>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return chunks;
    }
}
