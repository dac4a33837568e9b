package dev.taskq.dependency.persistence;

import dev.taskq.store.persistence.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/** Claims QUEUED tasks for release; the row locks keep other replicas off them until the transaction ends. */
@ApplicationScoped
public class ReleaseClaim {

    private final EntityManager entityManager;

    public ReleaseClaim(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * The next QUEUED tasks, highest priority first then oldest, locked. SKIP LOCKED lets concurrent
     * releasers take disjoint batches instead of queueing behind each other (tasks_release_order_idx).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<TaskEntity> claimQueued(int limit) {
        return entityManager.createNativeQuery("""
                        select t.* from tasks t
                        where t.status = 'QUEUED'
                        order by t.priority desc, t.ready_at, t.id
                        limit :limit
                        for update skip locked""", TaskEntity.class)
                .setParameter("limit", limit)
                .getResultList();
    }
}
