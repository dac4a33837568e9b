package dev.taskq.notifier.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.NotificationEventType;
import dev.taskq.notifier.domain.Routing;
import dev.taskq.notifier.domain.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The notifier's SQL on the delivery tables, in plain JDBC: inserting deliveries idempotently, claiming due ones
 * with FOR UPDATE SKIP LOCKED (safe with several replicas), and recording each attempt fenced by its number.
 */
@ApplicationScoped
public class DeliveryStore {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> JSON_STRINGS = new TypeReference<>() {};
    private static final TypeReference<List<String>> JSON_LIST = new TypeReference<>() {};

    private final DataSource dataSource;

    public DeliveryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A delivery to create for an event; the id is kept only if (event, destination) is new. */
    public record NewDelivery(UUID id, UUID eventId, UUID taskId, UUID workflowId, UUID scheduleId, NotificationEventType eventType,
                              Routing.Route route, Map<String, Object> event) {

        /** A delivery of a task's event. */
        public NewDelivery(UUID id, UUID eventId, UUID taskId, NotificationEventType eventType, Routing.Route route, Map<String, Object> event) {
            this(id, eventId, taskId, null, null, eventType, route, event);
        }
    }

    /**
     * A claimed delivery, its attempt number already taken. {@code taskPosition} is an inline entry's position in the
     * notify list of the owner its destination key names (task, workflow or schedule template).
     */
    public record Claimed(UUID id, UUID eventId, UUID taskId, UUID workflowId, UUID scheduleId, NotificationEventType eventType,
                          String destinationKey, UUID destinationId, Integer taskPosition, ChannelType channel,
                          Map<String, Object> event, int attempt, int retryCount) {

        /** Whose notify list holds the inline entry this goes to; null for a named destination. */
        public Routing.Owner owner() {
            return Routing.Owner.ofKey(destinationKey);
        }

        /** The id of that owner. */
        UUID ownerId() {
            Routing.Owner owner = owner();
            return owner == Routing.Owner.WORKFLOW ? workflowId : owner == Routing.Owner.SCHEDULE ? scheduleId : taskId;
        }
    }

    /** The task's columns a message quotes. */
    public record TaskRow(UUID id, String prompt, String pool, Instant startedAt, Instant finishedAt, BigDecimal totalCostUsd) {}

    /** Where a delivery goes now; empty config when the destination was deleted. */
    public record Destination(Target target, boolean enabled, String disabledReason) {}

    /** Routing inputs of a batch of events, read in the batch's transaction. */
    public interface RoutingReader {
        Map<UUID, Routing.TaskFacts> tasks(Collection<UUID> ids);

        Map<UUID, List<Routing.NotifyEntry>> notifyEntries(Collection<UUID> taskIds);

        List<Routing.Subscription> subscriptions();

        Map<UUID, Routing.WorkflowFacts> workflows(Collection<UUID> ids);

        /** A workflow's own enabled entries, in order. */
        Map<UUID, List<Routing.NotifyEntry>> workflowNotifyEntries(Collection<UUID> workflowIds);

        /** Schedules with their task template's pool, priority, labels and enabled notify entries. */
        Map<UUID, Routing.ScheduleFacts> schedules(Collection<UUID> ids);
    }

    /** Plans deliveries from routing inputs. */
    @FunctionalInterface
    public interface Planner {
        List<NewDelivery> plan(RoutingReader reader);
    }

    /** Reads the routing inputs, plans and inserts the deliveries in one transaction; returns how many were new. */
    public int planAndInsert(Planner planner) {
        return inTransaction(connection -> {
            List<NewDelivery> deliveries = planner.plan(new JdbcRoutingReader(connection));
            if (deliveries.isEmpty()) {
                return 0;
            }
            Instant now = Instant.now();
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into notification_deliveries (id, event_id, task_id, event_type, destination_key, destination_id,
                        task_position, channel, status, event, next_attempt_at, created_at, updated_at, workflow_id, schedule_id)
                    values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?::jsonb, ?, ?, ?, ?, ?)
                    on conflict (event_id, destination_key) do nothing""")) {
                for (NewDelivery delivery : deliveries) {
                    insert.setObject(1, delivery.id());
                    insert.setObject(2, delivery.eventId());
                    insert.setObject(3, delivery.taskId());
                    insert.setString(4, delivery.eventType().name());
                    insert.setString(5, delivery.route().destinationKey());
                    insert.setObject(6, delivery.route().destinationId());
                    insert.setObject(7, delivery.route().taskPosition());
                    insert.setString(8, delivery.route().channel().name());
                    insert.setString(9, EventJson.toJson(delivery.event()));
                    insert.setTimestamp(10, Timestamp.from(now));
                    insert.setTimestamp(11, Timestamp.from(now));
                    insert.setTimestamp(12, Timestamp.from(now));
                    insert.setObject(13, delivery.workflowId());
                    insert.setObject(14, delivery.scheduleId());
                    insert.addBatch();
                }
                int inserted = 0;
                for (int count : insert.executeBatch()) {
                    inserted += Math.max(count, 0);
                }
                return inserted;
            }
        });
    }

    /**
     * Claims due deliveries: locks up to {@code limit} due rows (at most {@code perKeyLimit} per destination,
     * none of {@code excludedKeys}) with SKIP LOCKED, lets {@code choose} keep those it has room for, and makes
     * the kept ones invisible for {@code claimTimeout} with their attempt number taken. Rows not kept stay due.
     */
    public List<Claimed> claim(Set<String> excludedKeys, int perKeyLimit, int limit, Duration claimTimeout,
                               UnaryOperator<List<Claimed>> choose) {
        return inTransaction(connection -> {
            List<Claimed> candidates = new ArrayList<>();
            // The window ranks each destination's due rows so one destination with a deep backlog cannot fill
            // the whole batch; FOR UPDATE cannot sit beside a window function, hence the join.
            try (PreparedStatement select = connection.prepareStatement("""
                    with ranked as (
                        select id, row_number() over (partition by destination_key order by next_attempt_at, id) as rank
                        from notification_deliveries
                        where status = 'PENDING' and next_attempt_at <= now() and not (destination_key = any(?))
                    )
                    select d.id, d.event_id, d.task_id, d.event_type, d.destination_key, d.destination_id, d.task_position,
                           d.channel, d.event, d.attempt_count, d.retry_count, d.workflow_id, d.schedule_id
                    from notification_deliveries d join ranked r on r.id = d.id
                    where r.rank <= ? and d.status = 'PENDING' and d.next_attempt_at <= now()
                    order by d.next_attempt_at, d.id
                    limit ?
                    for update of d skip locked""")) {
                Array excluded = connection.createArrayOf("varchar", excludedKeys.toArray());
                select.setArray(1, excluded);
                select.setInt(2, perKeyLimit);
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        candidates.add(new Claimed(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                                rows.getObject(3, UUID.class), rows.getObject(12, UUID.class), rows.getObject(13, UUID.class),
                                NotificationEventType.valueOf(rows.getString(4)), rows.getString(5),
                                rows.getObject(6, UUID.class), (Integer) rows.getObject(7), ChannelType.valueOf(rows.getString(8)),
                                EventJson.mapper().readValue(rows.getString(9), JSON_OBJECT), rows.getInt(10) + 1, rows.getInt(11)));
                    }
                } catch (java.io.IOException e) {
                    throw new SQLException("unreadable event json", e);
                }
            }
            List<Claimed> chosen = candidates.isEmpty() ? List.of() : choose.apply(candidates);
            if (chosen.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement update = connection.prepareStatement("""
                    update notification_deliveries
                    set attempt_count = attempt_count + 1, next_attempt_at = now() + ?::interval, updated_at = now()
                    where id = any(?)""")) {
                update.setString(1, claimTimeout.toMillis() + " milliseconds");
                update.setArray(2, connection.createArrayOf("uuid", chosen.stream().map(Claimed::id).toArray()));
                update.executeUpdate();
            }
            return chosen;
        });
    }

    /** The destination of a delivery as it is now, or empty if it was deleted. */
    public Optional<Destination> destinationOf(Claimed delivery) {
        return query(connection -> {
            String sql = delivery.destinationId() != null
                    ? "select type, config, enabled, disabled_reason from notification_destinations where id = ?"
                    : switch (delivery.owner()) {
                        case TASK -> "select type, config, enabled, disabled_reason from task_notifications where task_id = ? and position = ? and type is not null";
                        case WORKFLOW -> "select type, config, enabled, disabled_reason from workflow_notifications where workflow_id = ? and position = ? and type is not null";
                        // A template's entries have no state of their own: always enabled.
                        case SCHEDULE -> """
                                select e ->> 'type', (e -> 'config')::text, true, null
                                from schedules s, jsonb_array_elements(s.task_template -> 'notifyTargets') with ordinality as t(e, n)
                                where s.id = ? and t.n - 1 = ? and e ->> 'type' is not null""";
                    };
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (delivery.destinationId() != null) {
                    select.setObject(1, delivery.destinationId());
                } else {
                    select.setObject(1, delivery.ownerId());
                    select.setInt(2, delivery.taskPosition() == null ? -1 : delivery.taskPosition());
                }
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    Map<String, Object> config = readJson(row.getString(2), JSON_OBJECT);
                    return Optional.of(new Destination(new Target(ChannelType.valueOf(row.getString(1)), config),
                            row.getBoolean(3), row.getString(4)));
                }
            }
        });
    }

    public Optional<TaskRow> task(UUID taskId) {
        return query(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select prompt, pool, started_at, finished_at, total_cost_usd from tasks where id = ?")) {
                select.setObject(1, taskId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new TaskRow(taskId, row.getString(1), row.getString(2), instant(row.getTimestamp(3)),
                            instant(row.getTimestamp(4)), row.getBigDecimal(5)));
                }
            }
        });
    }

    /** The result of one attempt and what becomes of the delivery. */
    public record AttemptRecord(String outcome, String newStatus, Instant nextAttemptAt, int retryCount, Integer responseCode,
                                String error, long durationMillis, Instant attemptedAt, String disableReason) {}

    /**
     * Records an attempt and moves the delivery on, unless another claim took it meanwhile (its attempt number
     * moved on: this replica was too slow and the claim timed out). A DISABLE also disables the destination.
     * Returns whether the delivery row was updated.
     */
    public boolean record(Claimed delivery, AttemptRecord attempt) {
        return inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into notification_attempts (delivery_id, attempt, outcome, response_code, error, duration_ms, attempted_at)
                    values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
                insert.setObject(1, delivery.id());
                insert.setInt(2, delivery.attempt());
                insert.setString(3, attempt.outcome());
                insert.setObject(4, attempt.responseCode());
                insert.setString(5, attempt.error());
                insert.setLong(6, attempt.durationMillis());
                insert.setTimestamp(7, Timestamp.from(attempt.attemptedAt()));
                insert.executeUpdate();
            }
            int updated;
            try (PreparedStatement update = connection.prepareStatement("""
                    update notification_deliveries
                    set status = ?, next_attempt_at = ?, retry_count = ?, last_response_code = ?, last_error = ?,
                        delivered_at = case when ? = 'DELIVERED' then now() else delivered_at end, updated_at = now()
                    where id = ? and attempt_count = ?""")) {
                update.setString(1, attempt.newStatus());
                update.setTimestamp(2, attempt.nextAttemptAt() == null ? null : Timestamp.from(attempt.nextAttemptAt()));
                update.setInt(3, attempt.retryCount());
                update.setObject(4, attempt.responseCode());
                update.setString(5, attempt.error());
                update.setString(6, attempt.newStatus());
                update.setObject(7, delivery.id());
                update.setInt(8, delivery.attempt());
                updated = update.executeUpdate();
            }
            // A schedule template's inline entry has nowhere to keep a disabled state: only its delivery is DISABLED.
            if (attempt.disableReason() != null && (delivery.destinationId() != null || delivery.owner() != Routing.Owner.SCHEDULE)) {
                String sql = delivery.destinationId() != null
                        ? "update notification_destinations set enabled = false, disabled_reason = ?, updated_at = now() where id = ?"
                        : delivery.owner() == Routing.Owner.WORKFLOW
                        ? "update workflow_notifications set enabled = false, disabled_reason = ? where workflow_id = ? and position = ?"
                        : "update task_notifications set enabled = false, disabled_reason = ? where task_id = ? and position = ?";
                try (PreparedStatement disable = connection.prepareStatement(sql)) {
                    disable.setString(1, attempt.disableReason());
                    if (delivery.destinationId() != null) {
                        disable.setObject(2, delivery.destinationId());
                    } else {
                        disable.setObject(2, delivery.ownerId());
                        disable.setInt(3, delivery.taskPosition());
                    }
                    disable.executeUpdate();
                }
            }
            return updated == 1;
        });
    }

    /**
     * Deletes up to {@code limit} settled deliveries (not PENDING) last changed before {@code settledBefore}, with their
     * attempts; returns how many. SKIP LOCKED leaves one a redeliver is resetting right now to a later sweep.
     */
    public int deleteSettled(Instant settledBefore, int limit) {
        return inTransaction(connection -> {
            // Served by notification_deliveries_settled_idx.
            try (PreparedStatement delete = connection.prepareStatement("""
                    with due as (
                        select id from notification_deliveries
                        where status <> 'PENDING' and updated_at < ?
                        order by updated_at
                        limit ?
                        for update skip locked)
                    delete from notification_deliveries d using due where d.id = due.id""")) {
                delete.setTimestamp(1, Timestamp.from(settledBefore));
                delete.setInt(2, limit);
                return delete.executeUpdate();
            }
        });
    }

    /** Due deliveries not yet sent (claimed ones are not due until their claim times out). */
    public long countDue() {
        return query(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "select count(*) from notification_deliveries where status = 'PENDING' and next_attempt_at <= now()");
                    ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    /** Routing inputs read on the batch's connection. */
    private static final class JdbcRoutingReader implements RoutingReader {

        private final Connection connection;
        private final JdbcNoticeReader notices;

        JdbcRoutingReader(Connection connection) {
            this.connection = connection;
            this.notices = new JdbcNoticeReader(connection);
        }

        @Override
        public Map<UUID, Routing.TaskFacts> tasks(Collection<UUID> ids) {
            Map<UUID, Routing.TaskFacts> tasks = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select id, pool, priority, metadata from tasks where id = any(?)")) {
                select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        UUID id = row.getObject(1, UUID.class);
                        tasks.put(id, new Routing.TaskFacts(id, row.getString(2), row.getInt(3), readJson(row.getString(4), JSON_STRINGS)));
                    }
                }
                return tasks;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<UUID, List<Routing.NotifyEntry>> notifyEntries(Collection<UUID> taskIds) {
            return unchecked(() -> entriesOf(connection, "task_notifications", "task_id", taskIds));
        }

        @Override
        public List<Routing.Subscription> subscriptions() {
            List<Routing.Subscription> subscriptions = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    select s.id, s.destination_id, d.type, s.event_types, s.pool, s.label_key, s.label_value, s.min_priority
                    from notification_subscriptions s join notification_destinations d on d.id = s.destination_id
                    where d.enabled
                    order by s.created_at, s.id""");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    subscriptions.add(new Routing.Subscription(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                            ChannelType.valueOf(row.getString(3)), eventTypes(row.getString(4)), row.getString(5),
                            row.getString(6), row.getString(7), (Integer) (row.getObject(8) == null ? null : row.getInt(8))));
                }
                return subscriptions;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<UUID, Routing.WorkflowFacts> workflows(Collection<UUID> ids) {
            return unchecked(() -> notices.workflows(ids));
        }

        @Override
        public Map<UUID, List<Routing.NotifyEntry>> workflowNotifyEntries(Collection<UUID> workflowIds) {
            return unchecked(() -> entriesOf(connection, "workflow_notifications", "workflow_id", workflowIds));
        }

        @Override
        public Map<UUID, Routing.ScheduleFacts> schedules(Collection<UUID> ids) {
            return unchecked(() -> notices.schedules(ids));
        }
    }

    /**
     * The enabled notify entries of a task ({@code task_notifications}) or workflow ({@code workflow_notifications}), by
     * owner, in order. Named entries take their channel from the destination, and only enabled destinations count.
     */
    private static Map<UUID, List<Routing.NotifyEntry>> entriesOf(Connection connection, String table, String ownerColumn,
                                                                 Collection<UUID> owners) throws SQLException {
        Map<UUID, List<Routing.NotifyEntry>> entries = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select n.%2$s, n.position, n.destination_id, coalesce(n.type, d.type), n.event_types
                from %1$s n left join notification_destinations d on d.id = n.destination_id
                where n.%2$s = any(?) and n.enabled
                  and (n.type is not null or (d.id is not null and d.enabled))
                order by n.%2$s, n.position""".formatted(table, ownerColumn))) {
            select.setArray(1, connection.createArrayOf("uuid", owners.toArray()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.computeIfAbsent(row.getObject(1, UUID.class), id -> new ArrayList<>()).add(new Routing.NotifyEntry(row.getInt(2),
                            row.getObject(3, UUID.class), ChannelType.valueOf(row.getString(4)), eventTypes(row.getString(5))));
                }
            }
        }
        return entries;
    }

    @FunctionalInterface
    private interface SqlRead<T> {
        T read() throws SQLException;
    }

    private static <T> T unchecked(SqlRead<T> read) {
        try {
            return read.read();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Routing inputs about workflows and schedules, on the batch's connection. */
    private static final class JdbcNoticeReader {

        private final Connection connection;

        JdbcNoticeReader(Connection connection) {
            this.connection = connection;
        }

        Map<UUID, Routing.WorkflowFacts> workflows(Collection<UUID> ids) throws SQLException {
            Map<UUID, Routing.WorkflowFacts> workflows = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    select w.id, w.metadata::text, coalesce(array_agg(distinct t.pool) filter (where t.pool is not null), '{}'),
                           coalesce(max(t.priority), 0)
                    from workflows w left join tasks t on t.workflow_id = w.id
                    where w.id = any(?)
                    group by w.id""")) {
                select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        UUID id = row.getObject(1, UUID.class);
                        Set<String> pools = Set.of((String[]) row.getArray(3).getArray());
                        workflows.put(id, new Routing.WorkflowFacts(id, pools, row.getInt(4), readJson(row.getString(2), JSON_STRINGS)));
                    }
                }
            }
            return workflows;
        }

        /** The template is read as JSON (task-store's TaskTemplate): {"task": {pool, priority, metadata}, "notifyTargets": [...]}. */
        Map<UUID, Routing.ScheduleFacts> schedules(Collection<UUID> ids) throws SQLException {
            Map<UUID, Routing.ScheduleFacts> schedules = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    select s.id, s.task_template -> 'task' ->> 'pool', s.task_template -> 'task' ->> 'priority',
                           (s.task_template -> 'task' -> 'metadata')::text, t.n - 1, t.e ->> 'destinationId', coalesce(t.e ->> 'type', d.type),
                           (t.e -> 'eventTypes')::text
                    from schedules s
                    left join lateral jsonb_array_elements(case when jsonb_typeof(s.task_template -> 'notifyTargets') = 'array'
                        then s.task_template -> 'notifyTargets' else '[]'::jsonb end) with ordinality as t(e, n) on true
                    left join notification_destinations d on d.id = (t.e ->> 'destinationId')::uuid
                    where s.id = any(?) and (t.e is null or t.e ->> 'type' is not null or (d.id is not null and d.enabled))
                    order by s.id, t.n""")) {
                select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        UUID id = row.getObject(1, UUID.class);
                        Routing.ScheduleFacts facts = schedules.get(id);
                        if (facts == null) {
                            String priority = row.getString(3);
                            String metadata = row.getString(4);
                            facts = new Routing.ScheduleFacts(id, row.getString(2), priority == null ? 0 : Integer.parseInt(priority),
                                    metadata == null || metadata.equals("null") ? Map.of() : readJson(metadata, JSON_STRINGS), new ArrayList<>());
                            schedules.put(id, facts);
                        }
                        if (row.getString(7) != null) {
                            String destination = row.getString(6);
                            facts.entries().add(new Routing.NotifyEntry(row.getInt(5), destination == null ? null : UUID.fromString(destination),
                                    ChannelType.valueOf(row.getString(7)), eventTypes(row.getString(8))));
                        }
                    }
                }
            }
            return schedules;
        }
    }

    /** Names not known to this version (a newer API wrote them) are ignored rather than failing the batch. */
    static Set<NotificationEventType> eventTypes(String json) {
        Set<NotificationEventType> types = EnumSet.noneOf(NotificationEventType.class);
        List<String> names = json == null || json.equals("null") ? null : readJson(json, JSON_LIST);
        if (names == null) {
            return types;
        }
        for (String name : names) {
            try {
                types.add(NotificationEventType.valueOf(name));
            } catch (IllegalArgumentException unknown) {
                // skipped, see above
            }
        }
        return types;
    }

    private static <T> T readJson(String json, TypeReference<T> type) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable json column", e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private <T> T query(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
