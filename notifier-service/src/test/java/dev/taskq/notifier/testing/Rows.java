package dev.taskq.notifier.testing;

import dev.taskq.common.json.EventJson;
import dev.taskq.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Writes tasks, destinations, subscriptions and notify entries as api-gateway would, and reads deliveries back. */
public final class Rows {

    private Rows() {}

    /** A delivery as a test reads it back. */
    public record DeliveryRow(UUID id, String status, String destinationKey, int attemptCount, Integer lastResponseCode, String lastError) {}

    /** An attempt as a test reads it back. */
    public record AttemptRow(int attempt, String outcome, Integer responseCode, String error) {}

    /** A finished task (started a minute ago, cost $0.0123) in the given pool, priority 5, metadata team=core. */
    public static UUID task(String prompt, String status) {
        return task(prompt, status, "default");
    }

    public static UUID task(String prompt, String status, String pool) {
        UUID id = UUID.randomUUID();
        update("""
                insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds, metadata, created_at, started_at,
                                   finished_at, updated_at, total_cost_usd)
                values (?, ?, 5, 5, ?, ?, 600, '{"team":"core"}'::jsonb, now(), now() - interval '65 seconds', now(), now(), 0.0123)""",
                id, prompt, status, pool);
        return id;
    }

    public static UUID destination(String type, Map<String, Object> config) {
        UUID id = UUID.randomUUID();
        update("""
                insert into notification_destinations (id, name, type, config, enabled, created_at, updated_at)
                values (?, ?, ?, ?::jsonb, true, now(), now())""", id, "d-" + id, type, EventJson.toJson(config));
        return id;
    }

    /** A subscription to the default events of every task in {@code pool}: tests keep to their own pool. */
    public static void subscribe(UUID destinationId, String pool) {
        update("""
                insert into notification_subscriptions (id, destination_id, event_types, pool, created_at)
                values (?, ?, '[]'::jsonb, ?, now())""", UUID.randomUUID(), destinationId, pool);
    }

    public static void notifyInline(UUID taskId, int position, String type, Map<String, Object> config) {
        update("""
                insert into task_notifications (task_id, position, type, config, event_types, enabled)
                values (?, ?, ?, ?::jsonb, '[]'::jsonb, true)""", taskId, position, type, EventJson.toJson(config));
    }

    public static void notifyNamed(UUID taskId, int position, UUID destinationId) {
        update("""
                insert into task_notifications (task_id, position, destination_id, event_types, enabled)
                values (?, ?, ?, '[]'::jsonb, true)""", taskId, position, destinationId);
    }

    public static List<DeliveryRow> deliveries(UUID taskId) {
        return query("""
                select id, status, destination_key, attempt_count, last_response_code, last_error
                from notification_deliveries where task_id = ? order by created_at, destination_key""", taskId, rows -> {
            List<DeliveryRow> result = new ArrayList<>();
            while (rows.next()) {
                result.add(new DeliveryRow(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getInt(4),
                        (Integer) rows.getObject(5), rows.getString(6)));
            }
            return result;
        });
    }

    public static List<AttemptRow> attempts(UUID deliveryId) {
        return query("select attempt, outcome, response_code, error from notification_attempts where delivery_id = ? order by attempt",
                deliveryId, rows -> {
                    List<AttemptRow> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(new AttemptRow(rows.getInt(1), rows.getString(2), (Integer) rows.getObject(3), rows.getString(4)));
                    }
                    return result;
                });
    }

    public static String destinationState(UUID destinationId) {
        return query("select enabled::text || ' ' || coalesce(disabled_reason, '') from notification_destinations where id = ?",
                destinationId, rows -> rows.next() ? rows.getString(1) : null);
    }

    public static void update(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    static <T> T query(String sql, Object arg, Reader<T> reader) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, arg);
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
