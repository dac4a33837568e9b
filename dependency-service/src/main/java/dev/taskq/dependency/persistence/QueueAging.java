package dev.taskq.dependency.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The SQL of priority aging: effective_priority = min(10, priority + floor(wait / step)), where wait runs from
 * ready_at. Only rows whose level changes are written, and rows locked by others are skipped (a release claim
 * holds them for a moment; the next run takes them).
 *
 * <p>A task at level {@code e} with priority {@code p} is due for its next level at ready_at + (e - p + 1) steps,
 * so the tasks that became due between two instants are, for each (e, k = e - p + 1), a range of ready_at at one
 * level: {@link #raiseDueBetween} probes those 45 ranges of tasks_release_order_idx, reading about as many rows
 * as became due, however deep the queue. {@link #sweepChunk} walks a whole level instead, for a first run.
 */
@ApplicationScoped
public class QueueAging {

    /** One chunk of a sweep: the rows it examined, the last of them (the next chunk's start) and those due. */
    public record Chunk(int examined, Instant lastReadyAt, UUID lastId, List<UUID> due) {}

    // Advisory locks in the two-int form (a key space apart from the relay's one-bigint lock): namespace, key.
    static final int AGING_LOCK = 0x74716167;

    private static final String LEVEL_AT = "least(10, %1$s.priority + floor(extract(epoch from (cast(? as timestamptz) - %1$s.ready_at)) / ?))";

    private final EntityManager entityManager;

    public QueueAging(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Takes the aging lock until the transaction ends, or returns false while another replica is aging. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryLock() {
        return (Boolean) entityManager
                .createNativeQuery("select pg_try_advisory_xact_lock(?1, 0)")
                .setParameter(1, AGING_LOCK)
                .getSingleResult();
    }

    /**
     * Raises up to {@code limit} tasks of the pool that became due for a level in ({@code from}, {@code now}];
     * returns how many. A raised task jumps to its level as of {@code now}, so its next due time is later than
     * {@code now} and a repeat of this call does not find it again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int raiseDueBetween(String pool, Instant from, Instant now, Duration step, int limit) {
        String sql = """
                update tasks t set effective_priority = %s
                where t.id in (
                    select c.id
                    from generate_series(1, 9) as level(e)
                    join generate_series(1, 9) as waited(k) on waited.k <= level.e
                    cross join lateral (
                        select q.id from tasks q
                        where q.status = 'QUEUED' and q.pool = ? and q.effective_priority = level.e
                          and q.priority = level.e - waited.k + 1
                          and q.ready_at <= cast(? as timestamptz) - waited.k * make_interval(secs => ?)
                          and q.ready_at > cast(? as timestamptz) - waited.k * make_interval(secs => ?)
                        for update of q skip locked) c
                    limit ?)
                  and %s > t.effective_priority""".formatted(LEVEL_AT.formatted("t"), LEVEL_AT.formatted("t"));
        double stepSeconds = seconds(step);
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                Timestamp at = Timestamp.from(now);
                update.setTimestamp(1, at);
                update.setDouble(2, stepSeconds);
                update.setString(3, pool);
                update.setTimestamp(4, at);
                update.setDouble(5, stepSeconds);
                update.setTimestamp(6, Timestamp.from(from));
                update.setDouble(7, stepSeconds);
                update.setInt(8, limit);
                update.setTimestamp(9, at);
                update.setDouble(10, stepSeconds);
                return update.executeUpdate();
            }
        });
    }

    /**
     * The next {@code limit} tasks of one pool and level that have waited at least one step, in index order after
     * ({@code afterReadyAt}, {@code afterId}), with those whose level is behind as of {@code now}. Reads no lock:
     * {@link #raise} locks what it changes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Chunk sweepChunk(String pool, int level, Instant now, Duration step, Instant afterReadyAt, UUID afterId, int limit) {
        String sql = """
                select q.id, q.ready_at, %s > q.effective_priority
                from tasks q
                where q.status = 'QUEUED' and q.pool = ? and q.effective_priority = ?
                  and q.ready_at <= cast(? as timestamptz) and (q.ready_at, q.id) > (cast(? as timestamptz), cast(? as uuid))
                order by q.ready_at, q.id
                limit ?""".formatted(LEVEL_AT.formatted("q"));
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setTimestamp(1, Timestamp.from(now));
                select.setDouble(2, seconds(step));
                select.setString(3, pool);
                select.setInt(4, level);
                select.setTimestamp(5, Timestamp.from(now.minus(step)));
                select.setTimestamp(6, Timestamp.from(afterReadyAt));
                select.setObject(7, afterId);
                select.setInt(8, limit);
                int examined = 0;
                Instant lastReadyAt = afterReadyAt;
                UUID lastId = afterId;
                List<UUID> due = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        examined++;
                        lastId = rows.getObject(1, UUID.class);
                        lastReadyAt = rows.getTimestamp(2).toInstant();
                        if (rows.getBoolean(3)) {
                            due.add(lastId);
                        }
                    }
                }
                return new Chunk(examined, lastReadyAt, lastId, due);
            }
        });
    }

    /** Raises the given tasks to their level as of {@code now} where it changed; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int raise(List<UUID> ids, Instant now, Duration step) {
        if (ids.isEmpty()) {
            return 0;
        }
        String sql = """
                update tasks t set effective_priority = %s
                where t.id in (select q.id from tasks q where q.id = any(?) and q.status = 'QUEUED' for update skip locked)
                  and %s > t.effective_priority""".formatted(LEVEL_AT.formatted("t"), LEVEL_AT.formatted("t"));
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                Timestamp at = Timestamp.from(now);
                update.setTimestamp(1, at);
                update.setDouble(2, seconds(step));
                update.setArray(3, connection.createArrayOf("uuid", ids.toArray()));
                update.setTimestamp(4, at);
                update.setDouble(5, seconds(step));
                return update.executeUpdate();
            }
        });
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
