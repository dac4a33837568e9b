package dev.taskq.dependency.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.PgNotify;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The database raises the release loop's and the relay's wake-ups itself (migration V6), for every writer. The test
 * writes on a connection of its own and counts only the notifications that connection's backend sent: the running
 * service writes too.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class WakeupTriggersIT {

    private Connection listener;
    private Connection writer;
    private int writerPid;

    @BeforeEach
    void open() throws SQLException {
        listener = PostgresTestResource.connect();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + PgNotify.TASK_READY_CHANNEL);
            statement.execute("LISTEN " + PgNotify.OUTBOX_CHANNEL);
        }
        writer = PostgresTestResource.connect();
        try (Statement statement = writer.createStatement(); ResultSet pid = statement.executeQuery("select pg_backend_pid()")) {
            pid.next();
            writerPid = pid.getInt(1);
        }
    }

    @AfterEach
    void close() throws SQLException {
        writer.close();
        listener.close();
    }

    @Test
    void aTaskInsertedReadyWakesTheReleaseLoop() throws SQLException {
        insertTask(UUID.randomUUID(), TaskStatus.QUEUED);

        assertThat(channelsNotifiedByTheWriter()).containsExactly(PgNotify.TASK_READY_CHANNEL);
    }

    @Test
    void aTaskInsertedWaitingWakesNothing() throws SQLException {
        insertTask(UUID.randomUUID(), TaskStatus.WAITING);

        assertThat(channelsNotifiedByTheWriter()).isEmpty();
    }

    @Test
    void becomingReadyOrLeavingDispatchedOrRunningWakesTheReleaseLoopAndNothingElseDoes() throws SQLException {
        UUID task = UUID.randomUUID();
        insertTask(task, TaskStatus.WAITING);
        setStatus(task, TaskStatus.QUEUED);
        assertThat(channelsNotifiedByTheWriter()).as("WAITING → QUEUED").containsExactly(PgNotify.TASK_READY_CHANNEL);

        setStatus(task, TaskStatus.DISPATCHED);
        setStatus(task, TaskStatus.RUNNING);
        setStatus(task, TaskStatus.RUNNING);
        assertThat(channelsNotifiedByTheWriter()).as("QUEUED → DISPATCHED → RUNNING, and a rewrite of RUNNING").isEmpty();

        setStatus(task, TaskStatus.SUCCEEDED);
        assertThat(channelsNotifiedByTheWriter()).as("RUNNING → SUCCEEDED frees a slot").containsExactly(PgNotify.TASK_READY_CHANNEL);
    }

    @Test
    void anOutboxRowWakesTheRelay() throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement("insert into outbox (topic, record_key, payload) values ('wakeup-test', 'k', '{}')")) {
            insert.executeUpdate();
        }

        assertThat(channelsNotifiedByTheWriter()).containsExactly(PgNotify.OUTBOX_CHANNEL);
    }

    private void insertTask(UUID id, TaskStatus status) throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement("""
                insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds, max_attempts,
                                   unmet_dependencies, metadata, created_at, ready_at, updated_at)
                values (?, 'wake-up test', 2, 2, ?, 'wakeup-test', 600, 1, 0, '{}'::jsonb, now(), now(), now())""")) {
            insert.setObject(1, id);
            insert.setString(2, status.name());
            insert.executeUpdate();
        }
    }

    private void setStatus(UUID id, TaskStatus status) throws SQLException {
        try (PreparedStatement update = writer.prepareStatement("update tasks set status = ? where id = ?")) {
            update.setString(1, status.name());
            update.setObject(2, id);
            update.executeUpdate();
        }
    }

    /**
     * The channels the writer's backend notified since the last call. Its transactions have committed (autocommit),
     * so their notifications are on their way; a short wait collects them.
     */
    private List<String> channelsNotifiedByTheWriter() throws SQLException {
        List<String> channels = new ArrayList<>();
        PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(1_000);
        while (notifications != null && notifications.length > 0) {
            for (PGNotification notification : notifications) {
                if (notification.getPID() == writerPid) {
                    channels.add(notification.getName());
                }
            }
            notifications = listener.unwrap(PGConnection.class).getNotifications(300);
        }
        return channels;
    }
}
