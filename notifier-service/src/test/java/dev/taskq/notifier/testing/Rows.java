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

    /** A workflow with labels and one task in {@code pool} at {@code priority}, as POST /api/v1/workflows writes them. */
    public static UUID workflow(String name, Map<String, String> metadata, String pool, int priority) {
        UUID id = UUID.randomUUID();
        update("""
                insert into workflows (id, name, status, unfinished_tasks, metadata, created_at, finished_at, updated_at)
                values (?, ?, 'FAILED', 0, ?::jsonb, now() - interval '125 seconds', now(), now())""", id, name, EventJson.toJson(metadata));
        update("""
                insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds, metadata, created_at, updated_at,
                                   workflow_id, workflow_ref, workflow_position)
                values (?, 'step', ?, ?, 'FAILED', ?, 600, '{}'::jsonb, now(), now(), ?, 'step', 0)""",
                UUID.randomUUID(), priority, priority, pool, id);
        return id;
    }

    public static void workflowNotifyInline(UUID workflowId, int position, String type, Map<String, Object> config) {
        update("""
                insert into workflow_notifications (workflow_id, position, type, config, event_types, enabled)
                values (?, ?, ?, ?::jsonb, '[]'::jsonb, true)""", workflowId, position, type, EventJson.toJson(config));
    }

    /** A subscription of a destination to the given events, with an optional label filter (key=value). */
    public static void subscribe(UUID destinationId, String eventTypesJson, String pool, String labelKey, String labelValue) {
        update("""
                insert into notification_subscriptions (id, destination_id, event_types, pool, label_key, label_value, created_at)
                values (?, ?, ?::jsonb, ?, ?, ?, now())""", UUID.randomUUID(), destinationId, eventTypesJson, pool, labelKey, labelValue);
    }

    /**
     * A cron schedule whose task template (task-store's TaskTemplate as JSON) runs in {@code pool} and carries
     * {@code notifyTargetsJson} as its notify entries.
     */
    public static UUID schedule(String name, String pool, String notifyTargetsJson) {
        UUID id = UUID.randomUUID();
        update("""
                insert into schedules (id, name, status, cron, timezone, task_template, missed_run_policy, max_catchup, overlap_policy,
                                       created_at, updated_at)
                values (?, ?, 'ACTIVE', '0 3 * * *', 'UTC', ?::jsonb, 'FAIL', 10, 'ALLOW', now(), now())""", id, name,
                "{\"task\":{\"prompt\":\"nightly report\",\"priority\":6,\"pool\":\"" + pool
                        + "\",\"metadata\":{\"team\":\"reports\"}},\"notifyTargets\":" + notifyTargetsJson + "}");
        return id;
    }

    /** Deliveries of a workflow's or schedule's notices, by the subject column. */
    public static List<DeliveryRow> deliveriesBy(String column, UUID id) {
        return query("""
                select id, status, destination_key, attempt_count, last_response_code, last_error
                from notification_deliveries where %s = ? order by created_at, destination_key""".formatted(column), id, rows -> {
            List<DeliveryRow> result = new ArrayList<>();
            while (rows.next()) {
                result.add(new DeliveryRow(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getInt(4),
                        (Integer) rows.getObject(5), rows.getString(6)));
            }
            return result;
        });
    }

    public static List<DeliveryRow> deliveries(UUID taskId) {
        return deliveriesBy("task_id", taskId);
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
