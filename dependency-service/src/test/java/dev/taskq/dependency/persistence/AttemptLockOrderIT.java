package dev.taskq.dependency.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Statements that lock several attempt rows take them in (task_id, attempt) order, as the event consumer does
 * ({@code TaskAttemptRepository.lockCurrent}): a heartbeat that waits for one attempt then holds none after it, so it
 * cannot close a cycle with the consumer. In index order a heartbeat locked its worker's attempts in the order they
 * were written, and one did deadlock with the consumer in the workflow benchmark.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class AttemptLockOrderIT {

    @Inject
    AttemptLeases leases;

    private final String workerId = "w-" + UUID.randomUUID();
    private UUID first;
    private UUID second;

    /** Two running tasks whose attempt rows were written second-in-key-order first, so index order is the reverse. */
    @BeforeEach
    void twoAttemptsWrittenInReverseKeyOrder() {
        NewTask one = NewTask.queued().status(TaskStatus.RUNNING);
        NewTask other = NewTask.queued().status(TaskStatus.RUNNING);
        // PostgreSQL orders uuids by their bytes, which is their lowercase text's order.
        boolean oneFirst = one.id().toString().compareTo(other.id().toString()) < 0;
        first = oneFirst ? one.id() : other.id();
        second = oneFirst ? other.id() : one.id();
        TaskRows.insert(List.of(one, other), false);
        for (UUID task : List.of(second, first)) {
            TaskRows.force(task, TaskStatus.RUNNING, 1);
            TaskRows.insertAttempt(task, 1, TaskStatus.RUNNING, workerId);
        }
    }

    @Test
    void aLeaseRenewalWaitingForAnAttemptHoldsNoneAfterIt() throws Exception {
        Instant renewedTo = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);

        assertLocksInKeyOrder(() -> leases.renew(workerId, renewedTo));

        assertThat(TestDatabase.count("select count(*) from task_attempts where worker_id = ? and lease_expires_at = ?",
                workerId, Timestamp.from(renewedTo))).isEqualTo(2);
    }

    @Test
    void markingAttemptsRunningLocksThemInKeyOrderWhateverOrderTheHeartbeatListsThem() throws Exception {
        // Dispatched, their SessionStarted not applied yet: what markRunning is for.
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement unstart = connection.prepareStatement(
                        "update task_attempts set started_at = null, worker_id = null where task_id in (?, ?)")) {
            unstart.setObject(1, first);
            unstart.setObject(2, second);
            unstart.executeUpdate();
        }

        // The heartbeat names the second attempt first.
        assertLocksInKeyOrder(() -> leases.markRunning(workerId, List.of(new AttemptRef(second, 1), new AttemptRef(first, 1)),
                Instant.now()));

        assertThat(TestDatabase.count("select count(*) from task_attempts where task_id in (?, ?) and worker_id = ?",
                first, second, workerId)).isEqualTo(2);
    }

    /**
     * Holds the first attempt's row, starts {@code statement} in a transaction of its own, waits until it waits for that
     * row, then takes the second attempt's row: were the statement holding it, that would time out (and, had this
     * transaction been the event consumer's, deadlock). Then lets the statement finish.
     */
    private void assertLocksInKeyOrder(Runnable statement) throws Exception {
        try (Connection holder = PostgresTestResource.connect()) {
            holder.setAutoCommit(false);
            lock(holder, first);

            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(statement));
            await().until(() -> TestDatabase.count("""
                    select count(*) from pg_stat_activity
                    where wait_event_type = 'Lock' and query like 'update task_attempts a set %'""") == 1);

            try (Statement timeout = holder.createStatement()) {
                timeout.execute("set local lock_timeout = '3s'");
            }
            lock(holder, second);
            holder.commit();
            waiting.get(30, TimeUnit.SECONDS);
        }
    }

    private static void lock(Connection connection, UUID taskId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "select 1 from task_attempts where task_id = ? and attempt = 1 for no key update")) {
            lock.setObject(1, taskId);
            lock.executeQuery().close();
        }
    }
}
