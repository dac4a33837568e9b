package dev.taskq.dependency.persistence;

import dev.taskq.common.event.WorkerHeartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/** The workers table: each worker's latest capacity, as its heartbeats report it. */
@ApplicationScoped
public class WorkerRegistry {

    private static final String UPSERT = """
            insert into workers (worker_id, host, slots, busy_slots, pools, last_seen_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (worker_id) do update set
                host = excluded.host, slots = excluded.slots, busy_slots = excluded.busy_slots,
                pools = excluded.pools, last_seen_at = excluded.last_seen_at""";

    private final EntityManager entityManager;

    public WorkerRegistry(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void upsert(WorkerHeartbeat heartbeat, Instant seenAt) {
        List<String> pools = heartbeat.pools() == null ? List.of() : heartbeat.pools();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                statement.setString(1, heartbeat.workerId());
                statement.setString(2, heartbeat.host());
                statement.setInt(3, heartbeat.slots());
                statement.setInt(4, heartbeat.busySlots());
                statement.setArray(5, connection.createArrayOf("text", pools.toArray(String[]::new)));
                statement.setTimestamp(6, Timestamp.from(seenAt));
                statement.executeUpdate();
            }
        });
    }
}
