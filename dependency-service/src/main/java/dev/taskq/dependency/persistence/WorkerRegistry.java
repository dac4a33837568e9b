package dev.taskq.dependency.persistence;

import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.event.WorkerHeartbeat.Resources;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/** The workers table: each worker's latest capacity and host readings, as its heartbeats report them. */
@ApplicationScoped
public class WorkerRegistry {

    /** What the workers table said about a worker before its latest heartbeat. */
    public record Recorded(int slots, int busySlots, List<String> pools, Instant lastSeenAt) {

        /**
         * Whether {@code heartbeat} offers capacity this record did not: the worker was not live (new, or back after
         * silence), it has more free slots, or it serves a pool it did not. Release held work back for lack of exactly
         * this, so it should run again.
         */
        public boolean outgrownBy(WorkerHeartbeat heartbeat, Instant liveAfter) {
            List<String> pools = heartbeat.pools() == null ? List.of() : heartbeat.pools();
            return !lastSeenAt.isAfter(liveAfter)
                    || heartbeat.slots() - heartbeat.busySlots() > slots - busySlots
                    || !this.pools.containsAll(pools);
        }
    }

    private static final String PREVIOUS = "select slots, busy_slots, pools, last_seen_at from workers where worker_id = ?";
    private static final String UPSERT = """
            insert into workers (worker_id, host, slots, busy_slots, pools, last_seen_at,
                                 memory_available_bytes, memory_total_bytes, cpu_busy, load1, gate_open)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (worker_id) do update set
                host = excluded.host, slots = excluded.slots, busy_slots = excluded.busy_slots,
                pools = excluded.pools, last_seen_at = excluded.last_seen_at,
                memory_available_bytes = excluded.memory_available_bytes,
                memory_total_bytes = excluded.memory_total_bytes, cpu_busy = excluded.cpu_busy,
                load1 = excluded.load1, gate_open = excluded.gate_open""";

    private final EntityManager entityManager;

    public WorkerRegistry(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Stores the heartbeat; returns what was recorded before it, or null for a worker never seen. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recorded upsert(WorkerHeartbeat heartbeat, Instant seenAt) {
        List<String> pools = heartbeat.pools() == null ? List.of() : heartbeat.pools();
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            Recorded previous = null;
            // One worker's heartbeats share a partition, so one consumer applies them in order: no lock needed.
            try (PreparedStatement select = connection.prepareStatement(PREVIOUS)) {
                select.setString(1, heartbeat.workerId());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        previous = new Recorded(row.getInt(1), row.getInt(2), List.of((String[]) row.getArray(3).getArray()),
                                row.getTimestamp(4).toInstant());
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                statement.setString(1, heartbeat.workerId());
                statement.setString(2, heartbeat.host());
                statement.setInt(3, heartbeat.slots());
                statement.setInt(4, heartbeat.busySlots());
                statement.setArray(5, connection.createArrayOf("text", pools.toArray(String[]::new)));
                statement.setTimestamp(6, Timestamp.from(seenAt));
                // A worker older than the resource gate sends none: its columns are cleared, not left stale.
                Resources resources = heartbeat.resources() == null
                        ? new Resources(null, null, null, null, null) : heartbeat.resources();
                statement.setObject(7, resources.memoryAvailableBytes(), Types.BIGINT);
                statement.setObject(8, resources.memoryTotalBytes(), Types.BIGINT);
                statement.setObject(9, resources.cpuBusy(), Types.DOUBLE);
                statement.setObject(10, resources.load1(), Types.DOUBLE);
                statement.setObject(11, resources.gateOpen(), Types.BOOLEAN);
                statement.executeUpdate();
            }
            return previous;
        });
    }
}
