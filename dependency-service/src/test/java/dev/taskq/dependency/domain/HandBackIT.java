package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.RetryPolicy;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskColumns;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.dependency.testing.Workers;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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

/** Attempts a worker hands back when it is shut down: retried at once, past maxAttempts, told where they stopped. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class HandBackIT {

    @Inject
    MeterRegistry registry;

    private final String pool = Pools.fresh("drain");
    private final String drainingId = "w-draining-" + pool;
    private FakeWorker draining;

    @BeforeEach
    void startWorker() {
        draining = new FakeWorker(drainingId);
    }

    @AfterEach
    void stop() {
        draining.close();
        Pools.retire(pool);
    }

    @Test
    void aTaskWithOneAttemptHandedBackOnShutdownIsRetriedAtOnceAndItsNextSessionIsToldWhereTheLastOneStopped() {
        Workers.alwaysLive(drainingId, 1, pool);
        NewTask task = NewTask.queued().pool(pool).maxAttempts(1);
        TaskRows.insert(task);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        draining.started(task.id(), 1);
        draining.log(task.id(), 1, 1, 3);
        draining.checkpointed(task.id(), 1, checkpoint("feature/early", List.of("src/A.java")));
        draining.log(task.id(), 1, 4, 6);
        // Shutting down: it takes no more work, stops the session when its grace period ends and hands it back.
        Workers.silent(drainingId, 1, pool);
        draining.handedBack(task.id(), 1, checkpoint("feature/drained", List.of("src/A.java", "src/B.java")));

        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.QUEUED);
        TaskRows.TaskRow queued = TaskRows.task(task.id());
        assertThat(queued.reason()).isEqualTo("attempt 1 handed back by worker " + drainingId + " on shutdown; retrying now");
        assertThat(TaskColumns.runAfter(task.id())).isBeforeOrEqualTo(Instant.now());
        assertThat(TaskColumns.failureCause(task.id())).isEqualTo(FailureCause.DRAINED);
        assertThat(TaskColumns.attemptFailureCause(task.id(), 1)).isEqualTo(FailureCause.DRAINED);
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.finishedAt()).isNotNull();
            assertThat(attempt.leaseExpiresAt()).isNull();
        });
        Counter retried = registry.find("taskq.tasks.retried").tag("pool", pool).tag("cause", "drained").counter();
        assertThat(retried).isNotNull();
        assertThat(retried.count()).isEqualTo(1.0);

        Workers.alwaysLive("w-next-" + pool, 1, pool);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        TaskDispatch retry = onThePoolTopic(task.id(), 2);
        assertThat(retry.prompt()).isEqualTo("""
                say hello

                <context-from-task id="%s" relation="interrupted-attempt">
                %s
                <output attempt="1" lines="1-6">
                line 1
                line 2
                line 3
                line 4
                line 5
                line 6
                </output>
                <git>
                working dir: /work/repo
                branch: feature/drained
                commit: 0123456789abcdef0123456789abcdef01234567
                dirty files:
                src/A.java
                src/B.java
                </git>
                </context-from-task>""".formatted(task.id(), ContinuationPrompt.INTERRUPTED_INTRO.formatted(
                1, "its worker " + drainingId + " was shut down and handed the task back")));
    }

    @Test
    void aTaskHandedBackAsOftenAsTheCapAllowsFails() {
        int last = RetryPolicy.HAND_BACK_ATTEMPT_CAP;
        NewTask task = NewTask.queued().maxAttempts(1).status(TaskStatus.WAITING);
        TaskRows.insert(task);
        TaskRows.force(task.id(), TaskStatus.RUNNING, last);
        TaskRows.insertAttempt(task.id(), last, TaskStatus.RUNNING, drainingId);

        draining.handedBack(task.id(), last, null);

        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.FAILED);
        assertThat(TaskRows.task(task.id()).reason()).isEqualTo("attempt " + last + " handed back by worker " + drainingId
                + " on shutdown; not retried: a task gets at most " + last + " attempts when workers keep handing it back");
        assertThat(TaskColumns.failureCause(task.id())).isEqualTo(FailureCause.DRAINED);
        assertThat(TaskRows.attempts(task.id())).hasSize(1);
    }

    private static Checkpoint checkpoint(String branch, List<String> dirty) {
        return Checkpoint.ofGit("/work/repo", branch, "0123456789abcdef0123456789abcdef01234567", dirty, false)
                .withSession(null, List.of("checkpoint line"), new BigDecimal("0.10"), Instant.now());
    }

    private TaskDispatch onThePoolTopic(UUID task, int attempt) {
        try (KafkaProbe poolTopic = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            await().untilAsserted(() -> assertThat(poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task) && d.attempt() == attempt))
                    .hasSize(1));
            return poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task) && d.attempt() == attempt).getFirst();
        }
    }
}
