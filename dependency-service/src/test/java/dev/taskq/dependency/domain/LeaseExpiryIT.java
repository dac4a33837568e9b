package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.TaskColumns;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ShortLeaseProfile.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class LeaseExpiryIT {

    /** The retry backoff of the tests' tasks: the retry follows the lost lease at once, as with the defaults. */
    private static final Duration TINY_BACKOFF = Duration.ofMillis(100);

    private FakeWorker worker;
    private KafkaProbe dispatches;

    @BeforeEach
    void open() {
        worker = new FakeWorker("w-" + UUID.randomUUID());
        dispatches = KafkaProbe.on(TOPICS.dispatch(PriorityClass.P2));
    }

    @AfterEach
    void close() {
        worker.close();
        dispatches.close();
    }

    @Test
    void aRunningAttemptWhoseHeartbeatsStopIsDispatchedAgainAsAttemptTwo() {
        UUID task = runningTask(NewTask.queued().maxAttempts(2));

        try (KafkaProbe commands = KafkaProbe.on(TOPICS.workerCommands())) {
            await().untilAsserted(() -> assertThat(dispatches.values(TaskDispatch.class, d -> d.taskId().equals(task)))
                    .extracting(TaskDispatch::attempt)
                    .containsExactly(1, 2));
            assertThat(TaskRows.attempt(task, 1)).hasValueSatisfying(attempt -> {
                assertThat(attempt.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(attempt.reason()).startsWith("worker " + worker.id() + " lost: no heartbeat since ");
                assertThat(attempt.finishedAt()).isNotNull();
            });
            assertThat(TaskColumns.attemptFailureCause(task, 1)).isEqualTo(FailureCause.WORKER_LOST);
            assertThat(TaskColumns.failureCause(task)).isEqualTo(FailureCause.WORKER_LOST);
            assertThat(TaskRows.task(task).currentAttempt()).isEqualTo(2);
            assertThat(TaskRows.attempts(task)).extracting(TaskRows.AttemptRow::attempt).containsExactly(1, 2);
            // The lost worker may only be cut off: it is told to stop attempt 1.
            await().untilAsserted(() -> assertThat(commands.values(WorkerCommand.class, c -> c.taskId().equals(task)))
                    .extracting(WorkerCommand::attempt)
                    .containsExactly(1));
        }
    }

    @Test
    void aTaskWhoseLastAttemptLosesItsWorkerFailsWithTheReason() {
        UUID task = runningTask(NewTask.queued().maxAttempts(1));

        await().until(() -> TaskRows.task(task).status() == TaskStatus.FAILED);
        assertThat(TaskRows.task(task).reason()).isEqualTo("worker lost on attempt 1 of 1");
        assertThat(TaskColumns.failureCause(task)).isEqualTo(FailureCause.WORKER_LOST);
        assertThat(TaskColumns.attemptFailureCause(task, 1)).isEqualTo(FailureCause.WORKER_LOST);
        assertThat(dispatches.values(TaskDispatch.class, d -> d.taskId().equals(task))).hasSize(1);
    }

    @Test
    void heartbeatsKeepARunningAttemptAliveAndRecordTheWorker() {
        UUID task = runningTask(NewTask.queued().maxAttempts(2));
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        try {
            beats.scheduleAtFixedRate(() -> worker.heartbeat(List.of(new AttemptRef(task, 1))), 0, 200, TimeUnit.MILLISECONDS);

            // Three times the lease: without the heartbeats the attempt would be lost by now.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                    .until(() -> TaskRows.task(task).status() == TaskStatus.RUNNING);
            assertThat(TestDatabase.count("select count(*) from workers where worker_id = ? and slots = 4", worker.id())).isEqualTo(1);
        } finally {
            beats.shutdownNow();
        }

        await().until(() -> TaskRows.task(task).currentAttempt() == 2);
    }

    @Test
    void aLostWorkersTaskWaitsForItsBackoffQueuedWithAReasonNamingTheCause() {
        UUID task = runningTask(NewTask.queued().maxAttempts(2), Duration.ofHours(1));

        await().until(() -> TaskRows.task(task).status() == TaskStatus.QUEUED);
        assertThat(TaskRows.task(task).reason())
                .startsWith("attempt 1 of 2 failed (WORKER_LOST: worker " + worker.id() + " lost: no heartbeat since ")
                .containsPattern("\\); retrying after \\d+\\.\\ds$");
        assertThat(TaskColumns.runAfter(task)).isAfter(Instant.now().plus(Duration.ofMinutes(29)));
        assertThat(TaskRows.task(task).currentAttempt()).isEqualTo(1);
    }

    private UUID runningTask(NewTask task) {
        return runningTask(task, TINY_BACKOFF);
    }

    private UUID runningTask(NewTask task, Duration backoff) {
        TaskRows.insert(task);
        TaskColumns.retryPolicy(task.id(), backoff, false);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        worker.started(task.id(), 1);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.RUNNING
                || TaskRows.task(task.id()).currentAttempt() > 1
                || TaskRows.task(task.id()).status().isTerminal());
        return task.id();
    }
}
