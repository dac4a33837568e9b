package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.dependency.testing.Workers;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class ResumeDispatchIT {

    private final String pool = Pools.fresh("resume");
    private final String holder = "w-holder-" + pool;
    private final UUID session = UUID.randomUUID();
    private KafkaProbe direct;

    @BeforeEach
    void openProbe() {
        direct = KafkaProbe.on(TOPICS.directDispatch());
    }

    @AfterEach
    void close() {
        direct.close();
        Pools.retire(pool);
    }

    @Test
    void aResumeGoesToTheWorkerHoldingItsSessionWhileThatWorkerIsLiveAndThatWorkerOwnsTheAttempt() {
        NewTask task = resumeOf(holder);
        Workers.alwaysLive(holder, 2, pool);

        await().untilAsserted(() -> assertThat(direct.values(TaskDispatch.class, d -> d.taskId().equals(task.id())))
                .singleElement()
                .satisfies(dispatch -> {
                    assertThat(dispatch.attempt()).isEqualTo(1);
                    assertThat(dispatch.targetWorkerId()).isEqualTo(holder);
                    assertThat(dispatch.resumeSessionId()).isEqualTo(session);
                    assertThat(dispatch.prompt()).isEqualTo("say hello");
                }));
        // If the holder dies before it starts the session, the lease runs out and the task is retried.
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.workerId()).isEqualTo(holder);
            assertThat(attempt.leaseExpiresAt()).isAfter(Instant.now());
        });
        assertNotOnThePoolTopic(task);
    }

    @Test
    void aResumeWhoseWorkerIsGoneStartsAFreshSessionOnItsPool() {
        NewTask task = resumeOf(holder);
        Workers.silent(holder, 2, pool);
        Workers.alwaysLive("w-other-" + pool, 2, pool);

        TaskDispatch dispatch = awaitOnThePoolTopic(task);
        assertThat(dispatch.resumeSessionId()).isNull();
        assertThat(dispatch.targetWorkerId()).isNull();
        assertThat(dispatch.prompt()).contains("say hello");
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt -> assertThat(attempt.workerId()).isNull());
        assertThat(direct.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).isEmpty();
    }

    @Test
    void aResumeWhoseSessionWasUnavailableIsRetriedAsAFreshSessionEvenThoughItsWorkerIsLive() {
        NewTask task = resumeOf(holder);
        TaskRows.insertAttempt(task.id(), 1, TaskStatus.FAILED, holder);
        TaskRows.set(task.id(), "current_attempt", 1);
        TaskRows.set(task.id(), "failure_cause", FailureCause.SESSION_UNAVAILABLE.name());
        Workers.alwaysLive(holder, 2, pool);

        TaskDispatch dispatch = awaitOnThePoolTopic(task);
        assertThat(dispatch.attempt()).isEqualTo(2);
        assertThat(dispatch.resumeSessionId()).isNull();
        assertThat(dispatch.targetWorkerId()).isNull();
        assertThat(direct.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).isEmpty();
    }

    /** A QUEUED resume of {@link #session}, held by {@code worker}; nothing serves the pool yet. */
    private NewTask resumeOf(String worker) {
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(List.of(task), false);
        TaskRows.set(task.id(), "resume_session_id", session);
        TaskRows.set(task.id(), "resume_worker_id", worker);
        return task;
    }

    private TaskDispatch awaitOnThePoolTopic(NewTask task) {
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        try (KafkaProbe poolTopic = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            await().untilAsserted(() -> assertThat(poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task.id())))
                    .hasSize(1));
            return poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task.id())).getFirst();
        }
    }

    private void assertNotOnThePoolTopic(NewTask task) {
        try (KafkaProbe poolTopic = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).isEmpty());
        }
    }
}
