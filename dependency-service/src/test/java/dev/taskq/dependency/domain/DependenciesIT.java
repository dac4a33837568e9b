package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.TaskColumns;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
class DependenciesIT {

    @Inject
    TaskEventApplier applier;

    private FakeWorker worker;
    private KafkaProbe dispatches;

    @BeforeEach
    void open() {
        worker = new FakeWorker("w-deps");
        dispatches = KafkaProbe.on(TOPICS.dispatch(PriorityClass.P2));
    }

    @AfterEach
    void close() {
        worker.close();
        dispatches.close();
    }

    @Test
    void aDependentWaitsUntilItsDependencySucceedsAndIsThenDispatched() {
        NewTask a = NewTask.queued();
        NewTask b = NewTask.waitingOn(a.id());
        TaskRows.insert(a, b);
        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.DISPATCHED);
        assertThat(TaskRows.task(b.id()).status()).isEqualTo(TaskStatus.WAITING);

        worker.started(a.id(), 1);
        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.RUNNING);
        assertThat(TaskRows.task(b.id()).status()).isEqualTo(TaskStatus.WAITING);
        worker.succeeded(a.id(), 1, null);

        awaitOneDispatchOfFirstAttempt(b.id());
        assertThat(TaskRows.task(a.id()).status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(TaskRows.task(b.id()).status()).isEqualTo(TaskStatus.DISPATCHED);
    }

    @Test
    void theTransactionThatAppliesAFinishDispatchesTheDependentItQueued() {
        NewTask a = NewTask.queued();
        NewTask b = NewTask.waitingOn(a.id());
        TaskRows.insert(a, b);
        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.DISPATCHED);
        worker.started(a.id(), 1);
        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.RUNNING);

        // Applied here rather than through the consumer, so that the moment its transaction committed is known: by then
        // the freed slot went to B, with its attempt row and dispatch record, instead of B waiting QUEUED for the release
        // loop's own transaction.
        applier.applyAll(List.of(new SessionFinished(a.id(), 1, worker.id(), 1_000, Instant.now(), SessionOutcome.SUCCEEDED,
                null, 0, null, null, null, null)));

        assertThat(TaskRows.task(b.id()).status()).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(TaskRows.attempts(b.id())).hasSize(1);
        awaitOneDispatchOfFirstAttempt(b.id());
    }

    @Test
    void aWorkflowWhoseLastTaskEndsIsAnnouncedOnceWithItsOutcomeCountsAndTheTaskThatFailed() {
        UUID workflow = TaskRows.insertWorkflow("release", 3);
        NewTask build = NewTask.queued().maxAttempts(1).workflow(workflow);
        NewTask lint = NewTask.queued().workflow(workflow);
        NewTask deploy = NewTask.waitingOn(build.id()).workflow(workflow);
        TaskRows.insert(build, lint, deploy);
        try (KafkaProbe finished = KafkaProbe.on(TOPICS.workflowLifecycle())) {
            await().until(() -> TaskRows.task(build.id()).status() == TaskStatus.DISPATCHED
                    && TaskRows.task(lint.id()).status() == TaskStatus.DISPATCHED);
            worker.started(lint.id(), 1);
            worker.succeeded(lint.id(), 1, null);
            worker.started(build.id(), 1);
            worker.failed(build.id(), 1, "exit code 2");

            // deploy ends UPSTREAM_FAILED in the same transaction as build's failure: that ending finishes the workflow.
            await().untilAsserted(() -> assertThat(finished.values(WorkflowFinishedEvent.class, e -> e.workflowId().equals(workflow)))
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.status()).isEqualTo(WorkflowStatus.FAILED);
                        assertThat(event.name()).isEqualTo("release");
                        assertThat(List.of(event.taskCount(), event.succeededCount(), event.failedCount(), event.cancelledCount(),
                                event.skippedCount())).containsExactly(3, 1, 2, 0, 0);
                        assertThat(event.reason()).contains(build.id().toString()).contains("FAILED").contains("exit code 2");
                        assertThat(event.finishedAt()).isNotNull();
                    }));
            assertThat(finished.recordsWithKey(workflow.toString())).hasSize(1);
        }
    }

    @Test
    void aDependentOfAFailedTaskEndsUpstreamFailedNamingItAndIsNeverDispatched() {
        NewTask a = NewTask.queued();
        NewTask b = NewTask.waitingOn(a.id());
        TaskRows.insert(a, b);
        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.DISPATCHED);

        worker.started(a.id(), 1);
        worker.failed(a.id(), 1, "boom");

        await().until(() -> TaskRows.task(b.id()).status() == TaskStatus.UPSTREAM_FAILED);
        assertThat(TaskRows.task(b.id()).reason()).contains(a.id().toString()).contains("FAILED");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(dispatches.values(TaskDispatch.class, d -> d.taskId().equals(b.id()))).isEmpty());
        assertThat(TaskRows.attempts(b.id())).isEmpty();
    }

    @Test
    void eachDependentOfAFailedTaskReactsByItsOwnFailurePolicy() {
        NewTask a = NewTask.queued().maxAttempts(1);
        NewTask other = NewTask.queued();
        NewTask failing = NewTask.waitingOn(a.id());
        NewTask skipping = NewTask.waitingOn(a.id());
        NewTask running = NewTask.waitingOn(a.id(), other.id());
        TaskRows.insert(a, other, failing, skipping, running);
        TaskColumns.onDependencyFailure(skipping.id(), DependencyFailurePolicy.SKIP);
        TaskColumns.onDependencyFailure(running.id(), DependencyFailurePolicy.RUN);
        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.DISPATCHED
                && TaskRows.task(other.id()).status() == TaskStatus.DISPATCHED);

        worker.started(a.id(), 1);
        worker.failed(a.id(), 1, "boom");

        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.FAILED);
        assertThat(TaskRows.task(failing.id()).status()).isEqualTo(TaskStatus.UPSTREAM_FAILED);
        assertThat(TaskRows.task(skipping.id()).status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(TaskRows.task(skipping.id()).reason()).contains(a.id().toString()).contains("FAILED");
        // RUN waits for every dependency to end, not only for the one that failed.
        assertThat(TaskRows.task(running.id()).status()).isEqualTo(TaskStatus.WAITING);

        worker.started(other.id(), 1);
        worker.succeeded(other.id(), 1, null);

        await().untilAsserted(() -> assertThat(dispatches.values(TaskDispatch.class, d -> d.taskId().equals(running.id())))
                .singleElement()
                .satisfies(dispatch -> assertThat(dispatch.attempt()).isEqualTo(1)));
        assertThat(dispatches.values(TaskDispatch.class, d -> d.taskId().equals(failing.id()) || d.taskId().equals(skipping.id())))
                .isEmpty();
        assertThat(TaskRows.attempts(failing.id())).isEmpty();
        assertThat(TaskRows.attempts(skipping.id())).isEmpty();
    }

    @Test
    void theJoinOfADiamondRunsOnceAfterBothBranchesSucceeded() {
        NewTask a = NewTask.queued();
        NewTask b = NewTask.waitingOn(a.id());
        NewTask c = NewTask.waitingOn(a.id());
        NewTask d = NewTask.waitingOn(b.id(), c.id());
        TaskRows.insert(a, b, c, d);
        await().until(() -> TaskRows.task(a.id()).status() == TaskStatus.DISPATCHED);

        worker.started(a.id(), 1);
        worker.succeeded(a.id(), 1, null);
        await().until(() -> TaskRows.task(b.id()).status() == TaskStatus.DISPATCHED
                && TaskRows.task(c.id()).status() == TaskStatus.DISPATCHED);
        worker.started(b.id(), 1);
        worker.succeeded(b.id(), 1, null);
        await().until(() -> TaskRows.task(b.id()).status() == TaskStatus.SUCCEEDED);
        assertThat(TaskRows.task(d.id()).status()).isEqualTo(TaskStatus.WAITING);
        worker.started(c.id(), 1);
        worker.succeeded(c.id(), 1, null);

        await().until(() -> TaskRows.task(d.id()).status() == TaskStatus.DISPATCHED);
        worker.started(d.id(), 1);
        worker.succeeded(d.id(), 1, null);
        await().until(() -> TaskRows.task(d.id()).status() == TaskStatus.SUCCEEDED);
        assertThat(TaskRows.attempts(d.id())).hasSize(1);
        await().untilAsserted(() -> assertThat(dispatches.values(TaskDispatch.class, dispatch -> dispatch.taskId().equals(d.id())))
                .singleElement()
                .satisfies(dispatch -> assertThat(dispatch.attempt()).isEqualTo(1)));
    }

    private void awaitOneDispatchOfFirstAttempt(UUID taskId) {
        await().untilAsserted(() -> assertThat(dispatches.values(TaskDispatch.class, d -> d.taskId().equals(taskId)))
                .singleElement()
                .satisfies(dispatch -> assertThat(dispatch.attempt()).isEqualTo(1)));
    }
}
