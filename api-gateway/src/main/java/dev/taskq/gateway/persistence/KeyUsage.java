package dev.taskq.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What a key's tasks hold and cost, for its quotas (served by tasks_submitted_by_idx). */
@ApplicationScoped
public class KeyUsage {

    /** Advisory-lock class of the per-key quota lock ("tqq1"; dependency-service's locks use other classes). */
    static final int QUOTA_LOCK = 0x74717131;

    private final EntityManager entityManager;

    public KeyUsage(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Who submitted a task: the key, null for a bootstrap token or a schedule. */
    public record Submitter(UUID keyId) {}

    /** Who submitted the task; empty when there is no such task. */
    public Optional<Submitter> submitterOf(UUID taskId) {
        List<?> rows = entityManager.createNativeQuery("select submitted_by_key_id from tasks where id = ?1")
                .setParameter(1, taskId)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(new Submitter((UUID) rows.getFirst()));
    }

    /** Who submitted the workflow: the submitter of its tasks (all have the same); empty when it has none. */
    public Optional<Submitter> submitterOfWorkflow(UUID workflowId) {
        List<?> rows = entityManager.createNativeQuery("select submitted_by_key_id from tasks where workflow_id = ?1 limit 1")
                .setParameter(1, workflowId)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(new Submitter((UUID) rows.getFirst()));
    }

    /**
     * Holds the key's quota lock until the current transaction ends. Submissions under one key that check its
     * unfinished-task quota then do so one at a time, each counting the tasks the one before it committed: without it,
     * two submissions racing at the limit would each count the other's tasks as not there yet and both pass.
     */
    public void lockQuota(UUID keyId) {
        entityManager.createNativeQuery("select pg_advisory_xact_lock(?1, hashtext(?2))")
                .setParameter(1, QUOTA_LOCK)
                .setParameter(2, keyId.toString())
                .getSingleResult();
    }

    /** How many tasks the key submitted that have not finished (waiting, queued, dispatched, running). */
    public long unfinishedTasks(UUID keyId) {
        Number count = (Number) entityManager.createNativeQuery("""
                        select count(*) from tasks where submitted_by_key_id = ?1
                        and status not in ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'UPSTREAM_FAILED', 'SKIPPED')""")
                .setParameter(1, keyId)
                .getSingleResult();
        return count.longValue();
    }

    /** What the sessions of the tasks the key submitted since {@code since} have cost so far, in USD. */
    public BigDecimal costSince(UUID keyId, Instant since) {
        Object sum = entityManager.createNativeQuery("""
                        select coalesce(sum(total_cost_usd), 0) from tasks
                        where submitted_by_key_id = ?1 and created_at >= ?2""")
                .setParameter(1, keyId)
                .setParameter(2, Timestamp.from(since))
                .getSingleResult();
        return sum instanceof BigDecimal decimal ? decimal : new BigDecimal(sum.toString());
    }
}
