package dev.taskq.dependency.persistence;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.store.persistence.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** Claims QUEUED tasks for release; the row locks keep other replicas off them until the transaction ends. */
@ApplicationScoped
public class ReleaseClaim {

    // Advisory locks in the two-int form (a key space apart from the relay's one-bigint lock): namespace, hash.
    static final int CONCURRENCY_KEY_LOCK = 0x74716b31;

    private final EntityManager entityManager;

    public ReleaseClaim(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * The next releasable tasks of a pool, locked, in release order: highest effective priority, then longest
     * ready, then id. Releasable means QUEUED, past its retry backoff, and not sharing a concurrency key with a
     * task in flight. The scan walks tasks_release_order_idx from the pool's head and stops after {@code limit}
     * rows, so its cost does not grow with the backlog behind them; the in-flight check reads
     * tasks_concurrency_in_flight_idx (or hashes the few in-flight keys once). SKIP LOCKED hands concurrent
     * releasers disjoint rows instead of queueing them behind each other.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<TaskEntity> claimQueued(String pool, int limit, Instant now) {
        return claimQueued(pool, limit, now, PriorityClass.MIN_PRIORITY);
    }

    /** {@link #claimQueued(String, int, Instant)} restricted to tasks of at least {@code minEffectivePriority}. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<TaskEntity> claimQueued(String pool, int limit, Instant now, int minEffectivePriority) {
        return entityManager.createNativeQuery("""
                        select t.* from tasks t
                        where t.status = 'QUEUED' and t.pool = :pool and t.effective_priority >= :minPriority
                          and (t.run_after is null or t.run_after <= :now)
                          and (t.concurrency_key is null or not exists (
                                select 1 from tasks f
                                where f.concurrency_key = t.concurrency_key and f.status in ('DISPATCHED', 'RUNNING')))
                        order by t.effective_priority desc, t.ready_at, t.id
                        limit :limit
                        for update of t skip locked""", TaskEntity.class)
                .setParameter("pool", pool)
                .setParameter("minPriority", minEffectivePriority)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
    }

    /**
     * Takes the concurrency key for this transaction, or returns false if another transaction holds it or a task
     * with the key is (now) in flight. The claim's own in-flight check ran on a snapshot that may predate another
     * replica's commit; taking the lock first and checking again in a new statement closes that gap: whichever of
     * two releasers comes second either fails the lock or sees the first one's dispatch.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryTakeConcurrencyKey(String key) {
        boolean locked = (Boolean) entityManager
                .createNativeQuery("select pg_try_advisory_xact_lock(?1, hashtext(?2))")
                .setParameter(1, CONCURRENCY_KEY_LOCK)
                .setParameter(2, key)
                .getSingleResult();
        if (!locked) {
            return false;
        }
        // A separate statement: under READ COMMITTED it sees every dispatch committed before the lock was granted.
        return !(Boolean) entityManager.createNativeQuery("""
                        select exists (select 1 from tasks
                                       where concurrency_key = ?1 and status in ('DISPATCHED', 'RUNNING'))""")
                .setParameter(1, key)
                .getSingleResult();
    }

    /**
     * The pools that have QUEUED tasks, by a loose index scan of tasks_release_order_idx: one index probe per
     * pool, however many tasks each holds.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<String> queuedPools() {
        return entityManager.createNativeQuery("""
                        with recursive pools(pool) as (
                            (select pool from tasks where status = 'QUEUED' order by pool limit 1)
                            union all
                            select (select t.pool from tasks t where t.status = 'QUEUED' and t.pool > p.pool
                                    order by t.pool limit 1)
                            from pools p where p.pool is not null)
                        select pool from pools where pool is not null""", String.class)
                .getResultList();
    }
}
