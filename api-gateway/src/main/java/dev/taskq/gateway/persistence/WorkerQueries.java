package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.WorkerEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The gateway's read of the fleet: every worker's last heartbeat, and the queued tasks of each pool. */
@ApplicationScoped
public class WorkerQueries {

    /**
     * What the workers table and the queue held at one moment.
     *
     * @param workers every worker ever seen (one row each, kept by dependency-service from heartbeats), by id
     * @param queuedByPool QUEUED tasks per pool, only pools that have some
     */
    public record Fleet(List<WorkerEntity> workers, Map<String, Long> queuedByPool) {}

    private final EntityManager entityManager;

    public WorkerQueries(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional
    public Fleet fleet() {
        List<WorkerEntity> workers = entityManager
                .createQuery("select w from WorkerEntity w order by w.workerId", WorkerEntity.class)
                .getResultList();
        // Served by tasks_release_order_idx (partial on status = 'QUEUED', leading column pool).
        Map<String, Long> queued = new TreeMap<>();
        entityManager.createQuery("select t.pool, count(t) from TaskEntity t where t.status = :queued group by t.pool",
                        Object[].class)
                .setParameter("queued", TaskStatus.QUEUED)
                .getResultList()
                .forEach(row -> queued.put((String) row[0], ((Number) row[1]).longValue()));
        return new Fleet(workers, queued);
    }
}
