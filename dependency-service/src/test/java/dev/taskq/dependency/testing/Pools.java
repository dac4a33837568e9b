package dev.taskq.dependency.testing;

import dev.taskq.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Pools of one test each: the test fleet of the default pool and other tests' tasks stay out of them, and retiring
 * one leaves nothing behind for later tests' release passes, aging or gauges.
 */
public final class Pools {

    private Pools() {}

    /** A pool name no other test uses: {@code <prefix>-<8 hex>}. */
    public static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Cancels the pool's QUEUED tasks and forgets the workers that serve it. */
    public static void retire(String pool) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement cancel = connection.prepareStatement("""
                        update tasks set status = 'CANCELLED', status_reason = 'test over', finished_at = now(), updated_at = now()
                        where pool = ? and status = 'QUEUED'""");
                PreparedStatement forget = connection.prepareStatement(
                        "delete from workers where ? = any(pools) and worker_id <> ?")) {
            cancel.setString(1, pool);
            cancel.executeUpdate();
            forget.setString(1, pool);
            forget.setString(2, TestFleet.WORKER_ID);
            forget.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
