package dev.taskq.dependency.persistence;

import dev.taskq.common.messaging.TopicNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;

/** What the fleet can take: the slots of live workers per pool, and the tasks already holding slots. */
@ApplicationScoped
public class ReleaseCapacity {

    /**
     * The live workers at one moment: their ids, and the slots serving each pool. A worker serving several pools
     * counts its slots toward each of them, because which pool's work it takes next is not known in advance; the
     * fleet as a whole may therefore be offered more than it can start at once, never less.
     */
    public record Fleet(Map<String, Integer> slotsByPool, Set<String> liveWorkers) {

        public boolean isLive(String workerId) {
            return workerId != null && liveWorkers.contains(workerId);
        }
    }

    // Advisory locks in the two-int form (a key space apart from the relay's one-bigint lock): namespace, hash.
    static final int POOL_RELEASE_LOCK = 0x74717031;

    private final EntityManager entityManager;

    public ReleaseCapacity(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * The workers whose last heartbeat came after {@code seenAfter}. The workers table holds one row per worker
     * ever seen, so this reads a few rows; a worker that declares no pool serves the default pool.
     */
    @Transactional
    public Fleet liveFleet(Instant seenAfter) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select worker_id, slots, pools from workers where last_seen_at > ?")) {
                select.setTimestamp(1, Timestamp.from(seenAfter));
                Map<String, Integer> slotsByPool = new HashMap<>();
                Set<String> live = new HashSet<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        live.add(rows.getString(1));
                        int slots = rows.getInt(2);
                        for (String pool : pools(rows.getArray(3))) {
                            slotsByPool.merge(pool, slots, Integer::sum);
                        }
                    }
                }
                return new Fleet(slotsByPool, live);
            }
        });
    }

    private static List<String> pools(Array array) throws java.sql.SQLException {
        String[] pools = array == null ? new String[0] : (String[]) array.getArray();
        return pools.length == 0 ? List.of(TopicNames.DEFAULT_POOL) : List.of(pools);
    }

    /**
     * Takes the pool's release lock until the transaction ends, or returns false when another replica holds it.
     * One releaser per pool at a time keeps the budget exact: the next one counts what this one dispatched.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryLockPool(String pool) {
        return (Boolean) entityManager
                .createNativeQuery("select pg_try_advisory_xact_lock(?1, hashtext(?2))")
                .setParameter(1, POOL_RELEASE_LOCK)
                .setParameter(2, pool)
                .getSingleResult();
    }

    /** Tasks of the pool that hold a slot (DISPATCHED or RUNNING); an index-only count over tasks_in_flight_pool_idx. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int inFlight(String pool) {
        return ((Number) entityManager.createNativeQuery(
                        "select count(*) from tasks where pool = ?1 and status in ('DISPATCHED', 'RUNNING')")
                .setParameter(1, pool)
                .getSingleResult()).intValue();
    }
}
