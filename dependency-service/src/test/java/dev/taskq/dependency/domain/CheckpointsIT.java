package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Periodic checkpoints of running sessions: kept for the task's current, open attempt only, the newest winning. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class CheckpointsIT {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Inject
    TaskRepository tasks;

    @Inject
    TaskAttemptRepository attempts;

    private FakeWorker worker;
    private FakeWorker stranger;
    private long marker;

    @BeforeEach
    void startWorkers() {
        worker = new FakeWorker("w-" + UUID.randomUUID());
        stranger = new FakeWorker("w-stranger-" + UUID.randomUUID());
    }

    @AfterEach
    void stopWorkers() {
        worker.close();
        stranger.close();
    }

    @Test
    void aCheckpointOfTheRunningAttemptIsKeptOnTheAttemptAndTheTaskAndANewerOneReplacesIt() {
        UUID task = runningAtAttempt(2);

        worker.checkpointed(task, 2, checkpoint("first", T0));
        applied(task);
        assertThat(attemptCheckpoint(task, 2).gitBranch()).isEqualTo("first");
        assertThat(taskCheckpoint(task)).satisfies(kept -> {
            assertThat(kept.gitBranch()).isEqualTo("first");
            assertThat(kept.takenAt()).isEqualTo(T0);
            assertThat(kept.sessionId()).isEqualTo("s-1");
        });

        worker.checkpointed(task, 2, checkpoint("second", T0.plusSeconds(60)));
        applied(task);
        assertThat(attemptCheckpoint(task, 2).gitBranch()).isEqualTo("second");
        assertThat(taskCheckpoint(task).lastLines()).containsExactly("second: line 1", "second: line 2");
        assertThat(taskCheckpoint(task).costUsd()).isEqualByComparingTo("0.25");
    }

    @Test
    void checkpointsOfAnEarlierAttemptOfAnotherWorkerOrOlderThanTheOneKeptChangeNothing() {
        UUID task = runningAtAttempt(2);
        worker.checkpointed(task, 2, checkpoint("kept", T0.plusSeconds(60)));
        applied(task);

        worker.checkpointed(task, 1, checkpoint("earlier attempt", T0.plusSeconds(120)));
        stranger.checkpointed(task, 2, checkpoint("other worker", T0.plusSeconds(120)));
        worker.checkpointed(task, 2, checkpoint("older", T0));
        applied(task);

        assertThat(attemptCheckpoint(task, 2).gitBranch()).isEqualTo("kept");
        assertThat(attemptCheckpoint(task, 1)).isNull();
        assertThat(taskCheckpoint(task).gitBranch()).isEqualTo("kept");
    }

    @Test
    void aFinishWithoutACheckpointKeepsTheLastPeriodicOneAndALateCheckpointAfterTheFinishChangesNothing() {
        UUID task = runningAtAttempt(1);
        worker.checkpointed(task, 1, checkpoint("periodic", T0));
        worker.succeeded(task, 1, null);
        await().until(() -> TaskRows.task(task).status() == TaskStatus.SUCCEEDED);

        worker.checkpointed(task, 1, checkpoint("too late", T0.plusSeconds(60)));
        applied(task);

        assertThat(attemptCheckpoint(task, 1).gitBranch()).isEqualTo("periodic");
        assertThat(taskCheckpoint(task).gitBranch()).isEqualTo("periodic");
    }

    /** A task RUNNING at {@code attempt} on {@link #worker}, the attempts before it closed. */
    private UUID runningAtAttempt(int attempt) {
        NewTask task = NewTask.queued().status(TaskStatus.WAITING);
        TaskRows.insert(task);
        TaskRows.force(task.id(), TaskStatus.RUNNING, attempt);
        for (int earlier = 1; earlier < attempt; earlier++) {
            TaskRows.insertAttempt(task.id(), earlier, TaskStatus.FAILED, worker.id());
        }
        TaskRows.insertAttempt(task.id(), attempt, TaskStatus.RUNNING, worker.id());
        return task.id();
    }

    /** Waits until every event sent for the task so far was consumed: a log line after them is stored in order. */
    private void applied(UUID task) {
        long line = ++marker;
        int attempt = TaskRows.task(task).currentAttempt();
        worker.log(task, attempt, line, line);
        await().until(() -> TaskRows.logLines(task, attempt).size() == line);
    }

    private static Checkpoint checkpoint(String branch, Instant takenAt) {
        return Checkpoint.ofGit("/work/repo", branch, "abc123", List.of("src/A.java"), false)
                .withSession("s-1", List.of(branch + ": line 1", branch + ": line 2"), new BigDecimal("0.25"), takenAt);
    }

    private Checkpoint taskCheckpoint(UUID task) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.findById(task).checkpoint);
    }

    private Checkpoint attemptCheckpoint(UUID task, int attempt) {
        return QuarkusTransaction.requiringNew().call(() -> attempts.find(task, attempt).orElseThrow().checkpoint);
    }
}
