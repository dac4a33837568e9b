package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class TaskEventsIT {

    private FakeWorker worker;

    @BeforeEach
    void startWorker() {
        worker = new FakeWorker("w-" + UUID.randomUUID());
    }

    @AfterEach
    void stopWorker() {
        worker.close();
    }

    @Test
    void aStartedSessionMakesTheTaskRunningOnThatWorker() {
        UUID task = dispatchedTask();

        worker.started(task, 1);

        await().until(() -> TaskRows.task(task).status() == TaskStatus.RUNNING);
        assertThat(TaskRows.attempt(task, 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(attempt.workerId()).isEqualTo(worker.id());
            assertThat(attempt.leaseExpiresAt()).isNotNull();
        });
    }

    @Test
    void logLinesAreStoredOnceEvenWhenTheirBatchIsDeliveredTwice() {
        UUID task = dispatchedTask();
        worker.started(task, 1);

        worker.log(task, 1, 1, 3);
        worker.log(task, 1, 1, 3);
        worker.log(task, 1, 4, 4);

        await().until(() -> TaskRows.logLines(task, 1).size() >= 4);
        assertThat(TaskRows.logLines(task, 1)).containsExactly("line 1", "line 2", "line 3", "line 4");
    }

    @Test
    void aSucceededSessionSucceedsTheTaskWithItsCostTurnsSessionIdAndResultText() {
        UUID task = dispatchedTask();
        UUID resultSession = UUID.randomUUID();
        try (KafkaProbe lifecycle = KafkaProbe.on(TOPICS.taskLifecycle())) {
            worker.started(task, 1);
            worker.succeeded(task, 1, resultSession.toString());

            await().until(() -> TaskRows.task(task).status() == TaskStatus.SUCCEEDED);
            TaskRows.TaskRow row = TaskRows.task(task);
            assertThat(row.totalCostUsd()).isEqualByComparingTo(new BigDecimal("0.012345"));
            assertThat(row.numTurns()).isEqualTo(3);
            assertThat(row.sessionId()).isEqualTo(resultSession);
            assertThat(row.resultText()).isEqualTo("hello");
            assertThat(row.exitCode()).isZero();
            assertThat(TaskRows.attempt(task, 1)).hasValueSatisfying(attempt -> {
                assertThat(attempt.status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(attempt.exitCode()).isZero();
                assertThat(attempt.finishedAt()).isNotNull();
                assertThat(attempt.leaseExpiresAt()).isNull();
            });
            await().untilAsserted(() -> assertThat(lifecycle.values(TaskLifecycleEvent.class, e -> e.taskId().equals(task)))
                    .extracting(TaskLifecycleEvent::status)
                    .containsExactly(TaskStatus.RUNNING, TaskStatus.SUCCEEDED));
        }
    }

    @Test
    void aFailedSessionFailsTheTaskAndKeepsItsReason() {
        UUID task = dispatchedTask();
        worker.started(task, 1);

        worker.failed(task, 1, "claude exited with 3: boom");

        await().until(() -> TaskRows.task(task).status() == TaskStatus.FAILED);
        assertThat(TaskRows.task(task).reason()).isEqualTo("claude exited with 3: boom");
        assertThat(TaskRows.attempt(task, 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(attempt.reason()).isEqualTo("claude exited with 3: boom");
            assertThat(attempt.exitCode()).isEqualTo(1);
        });
    }

    @Test
    void eventsOfAnOlderAttemptChangeNothingOnceANewerAttemptExists() {
        NewTask task = NewTask.queued().status(TaskStatus.RUNNING);
        TaskRows.insert(task);
        TaskRows.force(task.id(), TaskStatus.RUNNING, 2);
        TaskRows.insertAttempt(task.id(), 1, TaskStatus.FAILED, worker.id());
        TaskRows.insertAttempt(task.id(), 2, TaskStatus.RUNNING, "w-current");

        try (KafkaProbe commands = KafkaProbe.on(TOPICS.workerCommands())) {
            worker.succeeded(task.id(), 1, UUID.randomUUID().toString());
            worker.started(task.id(), 1);
            // Same key, same partition: once this line is stored, the events before it were consumed.
            worker.log(task.id(), 1, 1, 1);

            await().until(() -> TaskRows.logLines(task.id(), 1).size() == 1);
            await().untilAsserted(() -> assertThat(commands.values(WorkerCommand.class, c -> c.taskId().equals(task.id())))
                    .singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(WorkerCommand.Type.CANCEL);
                        assertThat(command.attempt()).isEqualTo(1);
                        assertThat(command.reason()).startsWith("attempt 1 is no longer current");
                    }));
        }
        TaskRows.TaskRow row = TaskRows.task(task.id());
        assertThat(row.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(row.currentAttempt()).isEqualTo(2);
        assertThat(row.resultText()).isNull();
        assertThat(TaskRows.attempt(task.id(), 2)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(attempt.workerId()).isEqualTo("w-current");
            assertThat(attempt.finishedAt()).isNull();
        });
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt ->
                assertThat(attempt.status()).isEqualTo(TaskStatus.FAILED));
    }

    @Test
    void aStartedSessionOfACancelledTaskIsToldToCancel() {
        NewTask task = NewTask.queued().status(TaskStatus.CANCELLED);
        TaskRows.insert(task);
        TaskRows.force(task.id(), TaskStatus.CANCELLED, 1);
        TaskRows.insertAttempt(task.id(), 1, TaskStatus.CANCELLED, null);

        try (KafkaProbe commands = KafkaProbe.on(TOPICS.workerCommands())) {
            worker.started(task.id(), 1);

            await().untilAsserted(() -> assertThat(commands.values(WorkerCommand.class, c -> c.taskId().equals(task.id())))
                    .singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(WorkerCommand.Type.CANCEL);
                        assertThat(command.attempt()).isEqualTo(1);
                    }));
        }
        assertThat(TaskRows.task(task.id()).status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(attempt.workerId()).isNull();
        });
    }

    @Test
    void anUnreadableRecordIsSkippedAndTheEventsAfterItAreStillApplied() {
        UUID task = dispatchedTask();

        worker.send(TOPICS.taskEvents(), task.toString(), "{not json".getBytes(StandardCharsets.UTF_8));
        worker.started(task, 1);

        await().until(() -> TaskRows.task(task).status() == TaskStatus.RUNNING);
    }

    private static UUID dispatchedTask() {
        NewTask task = NewTask.queued();
        TaskRows.insert(task);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        return task.id();
    }
}
