package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionResult;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.TaskColumns;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Automatic retries of attempts that failed, driven by real SessionFinished events. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class RetriesIT {

    /** Short enough to see the retry released, long enough to be a real wait. */
    private static final Duration TINY_BACKOFF = Duration.ofMillis(200);
    /** Long enough that the retry is certainly not released while the test looks at the waiting task. */
    private static final Duration LONG_BACKOFF = Duration.ofHours(1);

    private static final Checkpoint CHECKPOINT = Checkpoint.ofGit(
            "/work/repo", "feature/retries", "0123456789abcdef0123456789abcdef01234567", List.of("src/A.java", "README.md"), false);

    @Inject
    TaskRepository tasks;

    @Inject
    TaskAttemptRepository attempts;

    private final AtomicLong sequence = new AtomicLong();
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
    void anAttemptTheApiRefusedWith529IsRetriedAsANewAttemptAfterTheBackoff() {
        UUID task = runningTask(3, TINY_BACKOFF, false);
        try (KafkaProbe dispatches = KafkaProbe.on(TOPICS.dispatch(PriorityClass.P2))) {
            finish(task, 1, SessionOutcome.FAILED, "API Error: 529 Overloaded", apiError(529), null, null);

            // Attempt 1 was set up as running without a dispatch: the only dispatch is the retry's.
            await().untilAsserted(() -> assertThat(dispatches.values(TaskDispatch.class, d -> d.taskId().equals(task)))
                    .extracting(TaskDispatch::attempt)
                    .containsExactly(2));
        }
        assertThat(TaskRows.task(task).currentAttempt()).isEqualTo(2);
        assertThat(TaskRows.attempts(task)).extracting(TaskRows.AttemptRow::attempt).containsExactly(1, 2);
        assertThat(TaskRows.attempt(task, 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(attempt.reason()).isEqualTo("API Error: 529 Overloaded");
            assertThat(attempt.exitCode()).isEqualTo(1);
            assertThat(attempt.finishedAt()).isNotNull();
        });
        assertThat(TaskColumns.attemptFailureCause(task, 1)).isEqualTo(FailureCause.API_UNAVAILABLE);
        assertThat(TaskColumns.failureCause(task)).isEqualTo(FailureCause.API_UNAVAILABLE);
    }

    @Test
    void aTaskWaitingForItsRetryIsQueuedWithTheRetryReasonAndIsNotReleasedBeforeItsBackoffEnds() {
        UUID task = runningTask(3, LONG_BACKOFF, false);
        Instant failedAt = Instant.now();

        finish(task, 1, SessionOutcome.FAILED, "API Error: 529 Overloaded", apiError(529), CHECKPOINT, null);

        await().until(() -> TaskRows.task(task).status() == TaskStatus.QUEUED);
        TaskRows.TaskRow row = TaskRows.task(task);
        assertThat(row.reason()).matches(
                "attempt 1 of 3 failed \\(API_UNAVAILABLE: API Error: 529 Overloaded\\); retrying after \\d+\\.\\ds");
        assertThat(row.currentAttempt()).isEqualTo(1);
        assertThat(row.resultText()).isEqualTo("API Error: 529 Overloaded");
        // Equal jitter: between half the backoff and all of it.
        assertThat(TaskColumns.runAfter(task)).isBetween(failedAt.plus(LONG_BACKOFF.dividedBy(2)), Instant.now().plus(LONG_BACKOFF));
        assertThat(TaskRows.attempts(task)).hasSize(1);
    }

    @Test
    void aRedeliveredFinishOfAnAttemptQueuedForRetryChangesNothingAndALateStartIsToldToStop() {
        UUID task = runningTask(3, LONG_BACKOFF, false);
        SessionFinished failure = finishedEvent(task, 1, SessionOutcome.FAILED, "API Error: 529 Overloaded", apiError(529), null, null);
        worker.send(failure);
        await().until(() -> TaskRows.task(task).status() == TaskStatus.QUEUED);
        String retryReason = TaskRows.task(task).reason();

        try (KafkaProbe commands = KafkaProbe.on(TOPICS.workerCommands())) {
            worker.send(failure);
            worker.send(finishedEvent(task, 1, SessionOutcome.SUCCEEDED, null, success(), null, null));
            worker.started(task, 1);
            // Same key, same partition: once this line is stored, the events before it were consumed.
            worker.log(task, 1, 1, 1);

            await().until(() -> TaskRows.logLines(task, 1).size() == 1);
            await().untilAsserted(() -> assertThat(commands.values(WorkerCommand.class, c -> c.taskId().equals(task)))
                    .singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(WorkerCommand.Type.CANCEL);
                        assertThat(command.attempt()).isEqualTo(1);
                    }));
        }
        TaskRows.TaskRow row = TaskRows.task(task);
        assertThat(row.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(row.currentAttempt()).isEqualTo(1);
        assertThat(row.reason()).isEqualTo(retryReason);
        assertThat(TaskRows.attempt(task, 1)).hasValueSatisfying(attempt ->
                assertThat(attempt.status()).isEqualTo(TaskStatus.FAILED));
    }

    @Test
    void aUserErrorIsNotRetried() {
        UUID task = runningTask(3, TINY_BACKOFF, false);

        finish(task, 1, SessionOutcome.FAILED, "the session reported an error",
                result("error_during_execution", true, "I cannot find the file", null), null, null);

        await().until(() -> TaskRows.task(task).status() == TaskStatus.FAILED);
        assertThat(TaskRows.task(task).reason()).isEqualTo("the session reported an error");
        assertThat(TaskColumns.failureCause(task)).isEqualTo(FailureCause.SESSION_ERROR);
        assertThat(TaskColumns.attemptFailureCause(task, 1)).isEqualTo(FailureCause.SESSION_ERROR);
        assertNoSecondAttempt(task);
    }

    @Test
    void aSessionThatRanOutOfTurnsIsNotRetried() {
        UUID task = runningTask(3, TINY_BACKOFF, false);

        finish(task, 1, SessionOutcome.FAILED, "max turns reached", result("error_max_turns", true, null, null), null, null);

        await().until(() -> TaskRows.task(task).status() == TaskStatus.FAILED);
        assertThat(TaskColumns.failureCause(task)).isEqualTo(FailureCause.MAX_TURNS);
        assertNoSecondAttempt(task);
    }

    @Test
    void aTimedOutAttemptEndsTheTaskUnlessTheTaskRetriesTimeouts() {
        UUID notRetrying = runningTask(3, TINY_BACKOFF, false);
        UUID retrying = runningTask(3, TINY_BACKOFF, true);

        finish(notRetrying, 1, SessionOutcome.TIMED_OUT, "timed out after 600 s", null, null, null);
        finish(retrying, 1, SessionOutcome.TIMED_OUT, "timed out after 600 s", null, null, null);

        await().until(() -> TaskRows.task(notRetrying).status() == TaskStatus.TIMED_OUT);
        assertThat(TaskColumns.failureCause(notRetrying)).isEqualTo(FailureCause.TIMED_OUT);
        await().until(() -> TaskRows.attempt(retrying, 2).isPresent());
        assertThat(TaskRows.attempt(retrying, 1)).hasValueSatisfying(attempt ->
                assertThat(attempt.status()).isEqualTo(TaskStatus.TIMED_OUT));
        assertThat(TaskColumns.attemptFailureCause(retrying, 1)).isEqualTo(FailureCause.TIMED_OUT);
        assertNoSecondAttempt(notRetrying);
    }

    @Test
    void aResumeTheWorkerCouldNotRunBecauseItLacksTheTranscriptIsRetried() {
        UUID task = runningTask(3, TINY_BACKOFF, false);

        finish(task, 1, SessionOutcome.FAILED, "no transcript for session to resume",
                result("error_during_execution", true, "No conversation found", null), null, FailureCause.SESSION_UNAVAILABLE);

        await().until(() -> TaskRows.attempt(task, 2).isPresent());
        assertThat(TaskColumns.attemptFailureCause(task, 1)).isEqualTo(FailureCause.SESSION_UNAVAILABLE);
    }

    @Test
    void theLastAttemptFailingRetryablyFailsTheTaskWithItsCause() {
        UUID task = runningTask(1, TINY_BACKOFF, false);

        finish(task, 1, SessionOutcome.FAILED, "API Error: 529 Overloaded", apiError(529), null, null);

        await().until(() -> TaskRows.task(task).status() == TaskStatus.FAILED);
        assertThat(TaskRows.task(task).reason()).isEqualTo("API Error: 529 Overloaded");
        assertThat(TaskColumns.failureCause(task)).isEqualTo(FailureCause.API_UNAVAILABLE);
        assertNoSecondAttempt(task);
    }

    @Test
    void theCheckpointIsStoredOnTheAttemptAndTheTaskWhateverTheOutcome() {
        UUID succeeding = runningTask(3, TINY_BACKOFF, false);
        UUID retried = runningTask(3, LONG_BACKOFF, false);

        finish(succeeding, 1, SessionOutcome.SUCCEEDED, null, success(), CHECKPOINT, null);
        finish(retried, 1, SessionOutcome.FAILED, "API Error: 529 Overloaded", apiError(529), CHECKPOINT, null);

        await().until(() -> TaskRows.task(succeeding).status() == TaskStatus.SUCCEEDED);
        await().until(() -> TaskRows.task(retried).status() == TaskStatus.QUEUED);
        for (UUID task : List.of(succeeding, retried)) {
            assertThat(taskCheckpoint(task)).isEqualTo(CHECKPOINT);
            assertThat(attemptCheckpoint(task, 1)).isEqualTo(CHECKPOINT);
        }
        assertThat(TaskColumns.failureCause(succeeding)).isNull();
    }

    private UUID runningTask(int maxAttempts, Duration backoff, boolean retryOnTimeout) {
        NewTask task = NewTask.queued().maxAttempts(maxAttempts).status(TaskStatus.WAITING);
        TaskRows.insert(task);
        TaskColumns.retryPolicy(task.id(), backoff, retryOnTimeout);
        TaskRows.force(task.id(), TaskStatus.RUNNING, 1);
        TaskRows.insertAttempt(task.id(), 1, TaskStatus.RUNNING, worker.id());
        return task.id();
    }

    private void assertNoSecondAttempt(UUID task) {
        // The applier wrote the final status in the same transaction as everything else: no release can follow.
        assertThat(TaskRows.task(task).currentAttempt()).isEqualTo(1);
        assertThat(TaskRows.attempts(task)).hasSize(1);
    }

    private void finish(UUID task, int attempt, SessionOutcome outcome, String reason, SessionResult result,
            Checkpoint checkpoint, FailureCause cause) {
        worker.send(finishedEvent(task, attempt, outcome, reason, result, checkpoint, cause));
    }

    private SessionFinished finishedEvent(UUID task, int attempt, SessionOutcome outcome, String reason, SessionResult result,
            Checkpoint checkpoint, FailureCause cause) {
        Integer exitCode = outcome == SessionOutcome.SUCCEEDED ? 0 : 1;
        return new SessionFinished(task, attempt, worker.id(), sequence.incrementAndGet(), Instant.now(), outcome, reason,
                exitCode, result, checkpoint, cause, null);
    }

    private static SessionResult apiError(int status) {
        return result("error_during_execution", true, "API Error: " + status + " Overloaded", status);
    }

    private static SessionResult success() {
        return result("success", false, "done", null);
    }

    private static SessionResult result(String subtype, boolean isError, String text, Integer apiErrorStatus) {
        return new SessionResult(subtype, isError, 2, new BigDecimal("0.001"), null, null, null, text, apiErrorStatus, 100L);
    }

    private Checkpoint taskCheckpoint(UUID task) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.findById(task).checkpoint);
    }

    private Checkpoint attemptCheckpoint(UUID task, int attempt) {
        return QuarkusTransaction.requiringNew().call(() -> attempts.find(task, attempt).orElseThrow().checkpoint);
    }
}
