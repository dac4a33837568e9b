package dev.taskq.dependency.persistence;

import dev.taskq.common.messaging.TopicNames;
import dev.taskq.store.persistence.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hibernate.Session;

/**
 * The SQL of the dispatch rescue: which live workers have a slot nobody was promised, and which dispatches of their
 * pools wait unstarted in a shared topic.
 */
@ApplicationScoped
public class StuckDispatches {

    /**
     * A live worker with slots free for rescued dispatches.
     *
     * @param pools the pools it serves (the default pool when it declares none)
     * @param free its free slots as its last heartbeat reported them, minus those it may not have reported yet
     */
    public record FreeWorker(String workerId, List<String> pools, int free) {}

    // Advisory locks in the two-int form (a key space apart from the relay's one-bigint lock): namespace, key.
    static final int RESCUE_LOCK = 0x74717263;

    /**
     * How stale a heartbeat's busy count may be: a session started this shortly before the worker's last heartbeat
     * arrived may be missing from it (the heartbeat was built before), so it is counted as taking a slot as well. Covers
     * the heartbeat's trip through Kafka and a little clock skew; overcounting only delays a rescue by a heartbeat.
     */
    static final Duration HEARTBEAT_LAG = Duration.ofSeconds(5);

    /**
     * At most this many of a task's attempts are withdrawn by rescues; after that the rescue leaves it where it is. Keeps
     * a task from hopping for ever between workers that report free slots but never start what they are sent (workers
     * too old to read the direct topic, say).
     */
    public static final int MAX_RESCUES_PER_TASK = 5;

    // A rescued attempt, as RescuedAttempts.isRescue tells it in Java: withdrawn (CANCELLED) before it ever started,
    // with no failure cause. Only a rescue leaves that on a task that goes on; a cancelled task has ended.
    private static final String IS_RESCUE = """
            %1$s.status = 'CANCELLED' and %1$s.finished_at is not null and %1$s.started_at is null
            and %1$s.failure_cause is null""";

    // A worker's slots minus what its heartbeat says is busy, minus what it may not have counted yet: the open
    // attempts it owns that it has not started (rescues and resumes sent to it, perhaps still in Kafka; one it holds
    // is counted twice, which errs on the safe side) or started only just before its last heartbeat arrived.
    // Direct dispatches bypass a worker's resource gate, so a worker whose gate is closed is offered only what its
    // gate would let it take: one session while it runs none. A worker sitting on a dispatch sent to it that it has not
    // started for as long as a shared one may wait is not taking direct dispatches (it drains after SIGTERM, or it is
    // full and holds it): it gets none. The subqueries are served by task_attempts_open_worker_idx.
    private static final String FREE_WORKERS = """
            select w.worker_id, w.pools,
                   (case when w.gate_open is false then least(w.slots, 1) else w.slots end) - w.busy_slots - (
                       select count(*) from task_attempts a
                       where a.worker_id = w.worker_id and a.finished_at is null
                         and (a.started_at is null or a.started_at > w.last_seen_at - make_interval(secs => ?))) as free
            from workers w
            where w.last_seen_at > ? and w.busy_slots < w.slots
              and not exists (select 1 from task_attempts s
                              where s.worker_id = w.worker_id and s.finished_at is null and s.started_at is null
                                and s.dispatched_at < ?)
            order by w.worker_id""";

    // The tasks DISPATCHED whose current attempt is open, unstarted and older than the wait, sent either to the pool
    // (no worker owns it) or by an earlier rescue to a worker that has not started it; a resume sent to the worker
    // holding its session is never taken away from it. Most urgent first, then longest waiting.
    private static final String CLAIM = """
            select t.* from tasks t
            join task_attempts a on a.task_id = t.id and a.attempt = t.current_attempt
            where t.status = 'DISPATCHED' and t.pool in (:pools)
              and a.finished_at is null and a.started_at is null and a.dispatched_at < :dispatchedBefore
              and (a.worker_id is null
                   or exists (select 1 from task_attempts p
                              where p.task_id = t.id and p.attempt = t.current_attempt - 1 and %1$s))
              and (select count(*) from task_attempts r where r.task_id = t.id and %2$s) < :maxRescues
            order by t.effective_priority desc, a.dispatched_at, t.id
            limit :limit
            for update of t, a skip locked""".formatted(IS_RESCUE.formatted("p"), IS_RESCUE.formatted("r"));

    private final EntityManager entityManager;

    public StuckDispatches(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Takes the rescue lock until the transaction ends, or returns false while another replica rescues. One rescuer
     * at a time counts each worker's free slots once, so two replicas never promise the same slot twice.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryLock() {
        return (Boolean) entityManager
                .createNativeQuery("select pg_try_advisory_xact_lock(?1, 0)")
                .setParameter(1, RESCUE_LOCK)
                .getSingleResult();
    }

    /**
     * Whether the oldest record still in the outbox was written more than {@code age} ago, by the database's clock: the
     * relay is that far behind, so a dispatch that waited as long may not have reached Kafka yet, and its absence of a
     * start proves nothing. Reads one row of the outbox's primary key.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean relayBehind(Duration age) {
        return (Boolean) entityManager.createNativeQuery("""
                        select coalesce((select created_at < now() - make_interval(secs => ?1) from outbox order by id limit 1),
                                        false)""")
                .setParameter(1, age.toMillis() / 1000.0)
                .getSingleResult();
    }

    /**
     * The workers seen after {@code liveAfter} with at least one slot free for a rescued dispatch, leaving out those
     * that have not started a dispatch sent to them before {@code unstartedBefore}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<FreeWorker> freeWorkers(Instant liveAfter, Instant unstartedBefore) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(FREE_WORKERS)) {
                select.setDouble(1, HEARTBEAT_LAG.toMillis() / 1000.0);
                select.setTimestamp(2, Timestamp.from(liveAfter));
                select.setTimestamp(3, Timestamp.from(unstartedBefore));
                List<FreeWorker> free = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        int slots = rows.getInt(3);
                        if (slots > 0) {
                            free.add(new FreeWorker(rows.getString(1), pools(rows.getArray(2)), slots));
                        }
                    }
                }
                return free;
            }
        });
    }

    /**
     * Locks up to {@code limit} tasks of the pools whose dispatch waited unstarted since before {@code dispatchedBefore}
     * (see CLAIM), and that were not rescued {@link #MAX_RESCUES_PER_TASK} times already. The task and the attempt row
     * are locked, so a racing SessionStarted waits for this transaction and is then fenced off; SKIP LOCKED leaves a
     * task whose event is being applied right now to a later pass. The scan reads the pools' in-flight tasks
     * (tasks_in_flight_pool_idx), which capacity-bounded release keeps to about the fleet's slots, and each candidate's
     * few attempt rows by primary key.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<TaskEntity> claim(Collection<String> pools, Instant dispatchedBefore, int limit) {
        if (pools.isEmpty() || limit <= 0) {
            return List.of();
        }
        return entityManager.createNativeQuery(CLAIM, TaskEntity.class)
                .setParameter("pools", pools)
                .setParameter("dispatchedBefore", dispatchedBefore)
                .setParameter("maxRescues", MAX_RESCUES_PER_TASK)
                .setParameter("limit", limit)
                .getResultList();
    }

    private static List<String> pools(Array array) throws SQLException {
        String[] pools = array == null ? new String[0] : (String[]) array.getArray();
        return pools.length == 0 ? List.of(TopicNames.DEFAULT_POOL) : List.of(pools);
    }
}
