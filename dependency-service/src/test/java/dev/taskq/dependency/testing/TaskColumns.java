package dev.taskq.dependency.testing;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.FailureCause;
import dev.taskq.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Plain-JDBC access to the task columns {@link TaskRows} leaves out: retry policy, failure causes, dependency policy,
 * resume lineage, and the questions sessions asked.
 */
public final class TaskColumns {

    private TaskColumns() {}

    /** Sets the task's retry backoff (first and longest alike, so the jittered wait is between half and all of it). */
    public static void retryPolicy(UUID taskId, Duration backoff, boolean retryOnTimeout) {
        update("update tasks set retry_backoff_ms = ?, retry_max_backoff_ms = ?, retry_on_timeout = ? where id = ?",
                backoff.toMillis(), backoff.toMillis(), retryOnTimeout, taskId);
    }

    public static void onDependencyFailure(UUID taskId, DependencyFailurePolicy policy) {
        update("update tasks set on_dependency_failure = ? where id = ?", policy.name(), taskId);
    }

    public static FailureCause failureCause(UUID taskId) {
        String cause = text("select failure_cause from tasks where id = ?", taskId);
        return cause == null ? null : FailureCause.valueOf(cause);
    }

    public static FailureCause attemptFailureCause(UUID taskId, int attempt) {
        String cause = text("select failure_cause from task_attempts where task_id = ? and attempt = ?", taskId, attempt);
        return cause == null ? null : FailureCause.valueOf(cause);
    }

    public static Instant runAfter(UUID taskId) {
        Timestamp at = value("select run_after from tasks where id = ?", taskId);
        return at == null ? null : at.toInstant();
    }

    /** A question a task's session asked, as a test reads it back. */
    public record QuestionRow(int attempt, String question, Instant askedAt, String answer, Instant answeredAt) {}

    /** The task's questions, oldest first. */
    public static List<QuestionRow> questions(UUID taskId) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = prepare(connection,
                        "select attempt, question, asked_at, answer, answered_at from task_questions where task_id = ? order by attempt",
                        taskId);
                ResultSet rows = statement.executeQuery()) {
            List<QuestionRow> questions = new ArrayList<>();
            while (rows.next()) {
                Timestamp answeredAt = rows.getTimestamp(5);
                questions.add(new QuestionRow(rows.getInt(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                        rows.getString(4), answeredAt == null ? null : answeredAt.toInstant()));
            }
            return questions;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session a task's next attempt resumes, or null. */
    public static UUID resumeSessionId(UUID taskId) {
        return value("select resume_session_id from tasks where id = ?", taskId);
    }

    /** The worker holding the session a task's next attempt resumes, or null. */
    public static String resumeWorkerId(UUID taskId) {
        return text("select resume_worker_id from tasks where id = ?", taskId);
    }

    /** What the session resuming a task's session is told, or null. */
    public static String resumePrompt(UUID taskId) {
        return text("select resume_prompt from tasks where id = ?", taskId);
    }

    private static void update(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = prepare(connection, sql, args)) {
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("no row for: " + sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String sql, Object... args) {
        return value(sql, args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T value(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("no row for: " + sql);
            }
            return (T) row.getObject(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i] instanceof Instant at ? Timestamp.from(at) : args[i]);
        }
        return statement;
    }
}
