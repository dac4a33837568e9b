package dev.taskq.dependency.testing;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.testsupport.PostgresTestResource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes and reads task rows with plain JDBC, as api-gateway (or an earlier history) would have left them,
 * so tests start from any state without going through the service under test.
 */
public final class TaskRows {

    private TaskRows() {}

    /** A task to insert; {@link #queued()} and {@link #waitingOn} are the usual starting points. */
    public record NewTask(UUID id, int priority, TaskStatus status, int maxAttempts, String pool, List<UUID> dependsOn, UUID workflowId) {

        public static NewTask queued() {
            return new NewTask(UUID.randomUUID(), 5, TaskStatus.QUEUED, 3, "default", List.of(), null);
        }

        public static NewTask waitingOn(UUID... dependencies) {
            return new NewTask(UUID.randomUUID(), 5, TaskStatus.WAITING, 3, "default", List.of(dependencies), null);
        }

        public NewTask priority(int value) {
            return new NewTask(id, value, status, maxAttempts, pool, dependsOn, workflowId);
        }

        public NewTask maxAttempts(int value) {
            return new NewTask(id, priority, status, value, pool, dependsOn, workflowId);
        }

        public NewTask status(TaskStatus value) {
            return new NewTask(id, priority, value, maxAttempts, pool, dependsOn, workflowId);
        }

        public NewTask pool(String value) {
            return new NewTask(id, priority, status, maxAttempts, value, dependsOn, workflowId);
        }

        /** A task of a workflow {@link #insertWorkflow} created. */
        public NewTask workflow(UUID value) {
            return new NewTask(id, priority, status, maxAttempts, pool, dependsOn, value);
        }
    }

    /** A RUNNING workflow row counting {@code tasks} unfinished tasks, as POST /api/v1/workflows writes it. */
    public static UUID insertWorkflow(String name, int tasks) {
        UUID id = UUID.randomUUID();
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into workflows (id, name, status, unfinished_tasks, metadata, created_at, updated_at)
                    values (?, ?, 'RUNNING', ?, '{}'::jsonb, now(), now())""")) {
                insert.setObject(1, id);
                insert.setString(2, name);
                insert.setInt(3, tasks);
                insert.executeUpdate();
            }
        });
        return id;
    }

    /** What a test reads back about a task. */
    public record TaskRow(
            UUID id,
            TaskStatus status,
            String reason,
            int currentAttempt,
            UUID sessionId,
            String resultText,
            Integer numTurns,
            BigDecimal totalCostUsd,
            Integer exitCode) {}

    /** What a test reads back about an attempt. */
    public record AttemptRow(int attempt, TaskStatus status, String workerId, String reason, Integer exitCode, Instant finishedAt, Instant leaseExpiresAt) {}

    /** Inserts the tasks and their edges in one transaction, waking the release loop as a submit does. */
    public static void insert(NewTask... tasks) {
        insert(List.of(tasks), true);
    }

    /**
     * Inserts the tasks and their edges in one transaction. With {@code notify} false the release loop is not woken
     * (the tables' wake-up triggers are off for this transaction), so a test can finish setting the rows up before the
     * next periodic pass sees them; that needs a superuser, as the tests' database user is.
     */
    public static void insert(Collection<NewTask> tasks, boolean notify) {
        inTransaction(connection -> {
            if (!notify) {
                execute(connection, "set local session_replication_role = replica");
            }
            try (PreparedStatement task = connection.prepareStatement("""
                        insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds,
                                           max_attempts, unmet_dependencies, metadata, created_at, ready_at, updated_at, workflow_id)
                        values (?, 'say hello', ?, ?, ?, ?, 600, ?, ?, '{"origin":"test"}'::jsonb, now(), ?, now(), ?)""");
                    PreparedStatement edge = connection.prepareStatement(
                            "insert into task_dependencies (task_id, depends_on) values (?, ?)")) {
                for (NewTask t : tasks) {
                    task.setObject(1, t.id());
                    task.setInt(2, t.priority());
                    task.setInt(3, t.priority());
                    task.setString(4, t.status().name());
                    task.setString(5, t.pool());
                    task.setInt(6, t.maxAttempts());
                    task.setInt(7, t.status() == TaskStatus.WAITING ? t.dependsOn().size() : 0);
                    task.setTimestamp(8, t.status() == TaskStatus.QUEUED ? Timestamp.from(Instant.now()) : null);
                    task.setObject(9, t.workflowId());
                    task.addBatch();
                    for (UUID dependency : t.dependsOn()) {
                        edge.setObject(1, t.id());
                        edge.setObject(2, dependency);
                        edge.addBatch();
                    }
                }
                task.executeBatch();
                edge.executeBatch();
            }
        });
    }

    /** Puts a task straight into a state with a current attempt, bypassing the state machine (test setup only). */
    public static void force(UUID taskId, TaskStatus status, int currentAttempt) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "update tasks set status = ?, current_attempt = ?, ready_at = null where id = ?")) {
                update.setString(1, status.name());
                update.setInt(2, currentAttempt);
                update.setObject(3, taskId);
                update.executeUpdate();
            }
        });
    }

    /**
     * Sets one column of a task that {@link NewTask} does not cover (concurrency key, resume lineage, run_after,
     * ready_at, ...), bypassing the service (test setup only). Insert the task where nothing releases it first.
     */
    public static void set(UUID taskId, String column, Object value) {
        if (!column.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a column name: " + column);
        }
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("update tasks set " + column + " = ? where id = ?")) {
                update.setObject(1, value instanceof Instant instant ? Timestamp.from(instant) : value);
                update.setObject(2, taskId);
                update.executeUpdate();
            }
        });
    }

    /** Writes an agent role row with just a model and max turns, as an admin's PUT /api/v1/agent-roles/{name} would. */
    public static void putAgentRole(String name, String model, Integer maxTurns) {
        inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "insert into agent_roles (name, description, model, max_turns) values (?, 'test role', ?, ?) "
                            + "on conflict (name) do update set model = excluded.model, max_turns = excluded.max_turns")) {
                upsert.setString(1, name);
                upsert.setString(2, model);
                upsert.setObject(3, maxTurns);
                upsert.executeUpdate();
            }
        });
    }

    /** Inserts an attempt row; a RUNNING one gets a lease an hour away so it never expires during the test. */
    public static void insertAttempt(UUID taskId, int attempt, TaskStatus status, String workerId) {
        boolean open = status == TaskStatus.RUNNING || status == TaskStatus.DISPATCHED;
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                        insert into task_attempts (task_id, attempt, status, session_id, worker_id, dispatched_at,
                                                   started_at, finished_at, lease_expires_at)
                        values (?, ?, ?, ?, ?, now(), now(), ?, ?)""")) {
                insert.setObject(1, taskId);
                insert.setInt(2, attempt);
                insert.setString(3, status.name());
                insert.setObject(4, UUID.randomUUID());
                insert.setString(5, workerId);
                insert.setTimestamp(6, open ? null : Timestamp.from(Instant.now()));
                insert.setTimestamp(7, open ? Timestamp.from(Instant.now().plusSeconds(3600)) : null);
                insert.executeUpdate();
            }
        });
    }

    /** Ends a task as if it had finished at {@code at} (test setup only). */
    public static void finish(UUID taskId, TaskStatus status, Instant at) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "update tasks set status = ?, ready_at = null, finished_at = ?, updated_at = ? where id = ?")) {
                update.setString(1, status.name());
                update.setTimestamp(2, Timestamp.from(at));
                update.setTimestamp(3, Timestamp.from(at));
                update.setObject(4, taskId);
                update.executeUpdate();
            }
        });
    }

    /** Ends a workflow {@link #insertWorkflow} created, as if its last task had finished at {@code at}. */
    public static void finishWorkflow(UUID workflowId, Instant at) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update workflows set status = 'SUCCEEDED', unfinished_tasks = 0, finished_at = ?, updated_at = ?
                    where id = ?""")) {
                update.setTimestamp(1, Timestamp.from(at));
                update.setTimestamp(2, Timestamp.from(at));
                update.setObject(3, workflowId);
                update.executeUpdate();
            }
        });
    }

    /** Writes {@code count} output lines of an attempt, as the event consumer stores a session's log batches. */
    public static void insertLogLines(UUID taskId, int attempt, int count) {
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into task_logs (task_id, attempt, line_number, logged_at, kind, text)
                    values (?, ?, ?, now(), 'ASSISTANT', ?)""")) {
                for (int line = 1; line <= count; line++) {
                    insert.setObject(1, taskId);
                    insert.setInt(2, attempt);
                    insert.setLong(3, line);
                    insert.setString(4, "line " + line);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    public static TaskRow task(UUID id) {
        return query(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                        select status, status_reason, current_attempt, session_id, result_text, num_turns,
                               total_cost_usd, exit_code
                        from tasks where id = ?""")) {
                select.setObject(1, id);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("no task " + id);
                    }
                    return new TaskRow(id, TaskStatus.valueOf(row.getString(1)), row.getString(2), row.getInt(3),
                            row.getObject(4, UUID.class), row.getString(5), (Integer) row.getObject(6),
                            row.getBigDecimal(7), (Integer) row.getObject(8));
                }
            }
        });
    }

    public static List<AttemptRow> attempts(UUID taskId) {
        return query(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                        select attempt, status, worker_id, reason, exit_code, finished_at, lease_expires_at
                        from task_attempts where task_id = ? order by attempt""")) {
                select.setObject(1, taskId);
                List<AttemptRow> rows = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(new AttemptRow(row.getInt(1), TaskStatus.valueOf(row.getString(2)), row.getString(3),
                                row.getString(4), (Integer) row.getObject(5), instant(row.getTimestamp(6)),
                                instant(row.getTimestamp(7))));
                    }
                }
                return rows;
            }
        });
    }

    public static Optional<AttemptRow> attempt(UUID taskId, int attempt) {
        return attempts(taskId).stream().filter(row -> row.attempt() == attempt).findFirst();
    }

    /** The stored log lines of an attempt, in line order. */
    public static List<String> logLines(UUID taskId, int attempt) {
        return query(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select text from task_logs where task_id = ? and attempt = ? order by line_number")) {
                select.setObject(1, taskId);
                select.setInt(2, attempt);
                List<String> lines = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        lines.add(row.getString(1));
                    }
                }
                return lines;
            }
        });
    }

    /** Inserts an outbox row in a transaction of its own (its trigger wakes the relay), as api-gateway's cancel does. */
    public static long insertOutboxRow(String topic, String key, String payload) {
        return query(connection -> {
            connection.setAutoCommit(false);
            long id;
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into outbox (topic, record_key, payload) values (?, ?, ?) returning id")) {
                insert.setString(1, topic);
                insert.setString(2, key);
                insert.setString(3, payload);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    id = row.getLong(1);
                }
            }
            connection.commit();
            return id;
        });
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private static void inTransaction(Work work) {
        query(connection -> {
            connection.setAutoCommit(false);
            work.run(connection);
            connection.commit();
            return null;
        });
    }

    private static <T> T query(Query<T> query) {
        try (Connection connection = PostgresTestResource.connect()) {
            return query.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
