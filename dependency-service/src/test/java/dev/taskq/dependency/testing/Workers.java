package dev.taskq.dependency.testing;

import dev.taskq.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes worker rows as heartbeats would have left them, so release sees capacity (or its absence) without a
 * worker sending heartbeats for the whole test.
 */
public final class Workers {

    private Workers() {}

    /** A worker live for the rest of the test run, every slot free: its last heartbeat is dated a day ahead. */
    public static void alwaysLive(String workerId, int slots, String... pools) {
        alwaysLive(workerId, slots, 0, pools);
    }

    /** A worker live for the rest of the test run whose heartbeat reports {@code busySlots} of its slots taken. */
    public static void alwaysLive(String workerId, int slots, int busySlots, String... pools) {
        upsert(workerId, slots, busySlots, pools, "now() + interval '1 day'");
    }

    /** A worker whose heartbeats stopped a while ago: it no longer counts as capacity. */
    public static void silent(String workerId, int slots, String... pools) {
        upsert(workerId, slots, 0, pools, "now() - interval '1 hour'");
    }

    /** Sets what the worker's last heartbeat said of its resource gate (a closed gate takes nothing beyond one session). */
    public static void gate(String workerId, boolean open) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement update = connection.prepareStatement("update workers set gate_open = ? where worker_id = ?")) {
            update.setBoolean(1, open);
            update.setString(2, workerId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void upsert(String workerId, int slots, int busySlots, String[] pools, String lastSeenAt) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement upsert = connection.prepareStatement("""
                        insert into workers (worker_id, host, slots, busy_slots, pools, last_seen_at)
                        values (?, 'test-host', ?, ?, ?, %s)
                        on conflict (worker_id) do update set
                            slots = excluded.slots, busy_slots = excluded.busy_slots, pools = excluded.pools,
                            last_seen_at = excluded.last_seen_at"""
                        .formatted(lastSeenAt))) {
            upsert.setString(1, workerId);
            upsert.setInt(2, slots);
            upsert.setInt(3, busySlots);
            upsert.setArray(4, connection.createArrayOf("text", pools));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
