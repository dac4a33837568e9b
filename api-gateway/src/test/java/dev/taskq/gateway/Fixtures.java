package dev.taskq.gateway;

import static io.restassured.RestAssured.given;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** Requests as an authenticated client, and rows written straight to the test database. */
public final class Fixtures {

    /** The token application.properties configures for the test profile. */
    public static final String TOKEN = "test-token";

    private Fixtures() {}

    /** A request with the test token and a JSON body type. */
    public static RequestSpecification client() {
        return client(TOKEN);
    }

    /** A request with {@code token} (an API key's secret or a bootstrap token) and a JSON body type. */
    public static RequestSpecification client(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** An API key the test token (a bootstrap admin) created: its id and its secret. */
    public record Key(UUID id, String secret) {}

    /** Creates an API key with {@code role} and the extra JSON fields in {@code more} (e.g. {@code "pools": ["a"]}). */
    public static Key createKey(String role, String more) {
        JsonPath created = client()
                .body("{\"name\": \"" + role + "-" + UUID.randomUUID().toString().substring(0, 8) + "\", \"role\": \"" + role + "\""
                        + (more == null || more.isEmpty() ? "" : ", " + more) + "}")
                .post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath();
        return new Key(UUID.fromString(created.getString("key.id")), created.getString("secret"));
    }

    public static Key createKey(String role) {
        return createKey(role, null);
    }

    /** How many rows {@code table} has. */
    public static long count(String table) {
        return Long.parseLong(queryString("select count(*) from " + table));
    }

    /** Submits a task through the API and returns its id. */
    public static UUID submit(String body) {
        return UUID.fromString(client().body(body).post("/api/v1/tasks").then().statusCode(201).extract().path("id"));
    }

    /** Inserts a task in the given state, as if the other services had moved it there. */
    public static UUID insertTask(TaskStatus status, String pool, Instant createdAt) {
        UUID id = UUID.randomUUID();
        update("""
                insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds, created_at, updated_at, finished_at)
                values (?, 'inserted by a test', 5, 5, ?, ?, 3600, ?, ?, ?)""",
                id, status.name(), pool, Timestamp.from(createdAt), Timestamp.from(createdAt),
                status.isTerminal() ? Timestamp.from(createdAt) : null);
        return id;
    }

    public static UUID insertTask(TaskStatus status) {
        return insertTask(status, "default", Instant.now());
    }

    public static void setStatus(UUID taskId, TaskStatus status) {
        update("update tasks set status = ?, updated_at = now(), finished_at = case when ? then now() end where id = ?",
                status.name(), status.isTerminal(), taskId);
    }

    /** Makes the task RUNNING on a worker, with an open attempt row, as dispatch and the worker would. */
    public static void makeRunning(UUID taskId, String workerId) {
        update("update tasks set status = 'RUNNING', current_attempt = 1, session_id = ?, started_at = now() where id = ?",
                UUID.randomUUID(), taskId);
        update("""
                insert into task_attempts (task_id, attempt, status, session_id, worker_id, host, dispatched_at, started_at, lease_expires_at)
                values (?, 1, 'RUNNING', ?, ?, 'host-1', now(), now(), now() + interval '1 minute')""",
                taskId, UUID.randomUUID(), workerId);
    }

    /**
     * Makes a task RUNNING on {@code workerId} and lets its session ask {@code question}, as the dependency-service does
     * when the worker reports it: TaskStateWriter.awaitInput in a transaction of its own. The task is WAITING_FOR_INPUT.
     */
    public static void askQuestion(UUID taskId, String workerId, String question) {
        makeRunning(taskId, workerId);
        QuarkusTransaction.requiringNew().run(() -> {
            TaskEntity task = Arc.container().instance(TaskRepository.class).get().findById(taskId);
            Arc.container().instance(TaskStateWriter.class).get().awaitInput(task, question, workerId, Instant.now());
        });
    }

    /** Appends a log line and returns its id (the cursor). */
    public static long insertLog(UUID taskId, long lineNumber, LogKind kind, String text) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = connection.prepareStatement("""
                        insert into task_logs (task_id, attempt, line_number, logged_at, kind, text)
                        values (?, 1, ?, now(), ?, ?) returning id""")) {
            statement.setObject(1, taskId);
            statement.setLong(2, lineNumber);
            statement.setString(3, kind.name());
            statement.setString(4, text);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String queryString(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void update(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = prepare(connection, sql, args)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }
}
