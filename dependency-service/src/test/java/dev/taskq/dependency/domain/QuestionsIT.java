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
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskColumns;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.dependency.testing.Workers;
import dev.taskq.store.lifecycle.QuestionText;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A session that asks a human: the task parks WAITING_FOR_INPUT, and the answer resumes that session. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class QuestionsIT {

    private static final String QUESTION = "Which database should the migration target: Postgres 15 or 16?";
    private static final String ANSWER = "Postgres 16, and keep the old column for one release.";
    private static final Checkpoint CHECKPOINT = Checkpoint.ofGit(
                    "/work/repo", "feature/ask", "0123456789abcdef0123456789abcdef01234567", List.of("db/V2__move.sql"), false)
            .withSession(null, List.of("ran: psql --version"), new BigDecimal("0.05"), Instant.now());

    @Inject
    TaskStateWriter stateWriter;

    @Inject
    MeterRegistry registry;

    private final String pool = Pools.fresh("ask");
    private final String holderId = "w-holder-" + pool;
    private FakeWorker holder;

    @BeforeEach
    void startHolder() {
        holder = new FakeWorker(holderId);
        Workers.alwaysLive(holderId, 1, pool);
    }

    @AfterEach
    void stop() {
        holder.close();
        Pools.retire(pool);
    }

    @Test
    void aSessionThatAsksParksItsTaskWaitingForInputWithTheQuestionAnnouncedAndNoLeaseHeld() {
        try (KafkaProbe lifecycle = KafkaProbe.on(TOPICS.taskLifecycle())) {
            Asked asked = askedTask();

            TaskRows.TaskRow row = TaskRows.task(asked.task());
            assertThat(row.reason()).isEqualTo("waiting for an answer to: " + QUESTION);
            assertThat(row.currentAttempt()).isEqualTo(1);
            assertThat(row.totalCostUsd()).isEqualByComparingTo("0.05");
            assertThat(row.resultText()).isEqualTo("I need to know which database to target.");
            assertThat(TaskColumns.failureCause(asked.task())).isNull();
            assertThat(TaskColumns.questions(asked.task())).singleElement().satisfies(question -> {
                assertThat(question.attempt()).isEqualTo(1);
                assertThat(question.question()).isEqualTo(QUESTION);
                assertThat(question.askedAt()).isNotNull();
                assertThat(question.answer()).isNull();
            });
            // The answer resumes the session that asked, on the worker that holds its transcript.
            assertThat(TaskColumns.resumeSessionId(asked.task())).isEqualTo(asked.session());
            assertThat(TaskColumns.resumeWorkerId(asked.task())).isEqualTo(holderId);
            assertThat(TaskColumns.resumePrompt(asked.task())).isNull();
            // The attempt is over: no lease to renew or expire, nothing for heartbeats to keep alive.
            assertThat(TaskRows.attempt(asked.task(), 1)).hasValueSatisfying(attempt -> {
                assertThat(attempt.status()).isEqualTo(TaskStatus.WAITING_FOR_INPUT);
                assertThat(attempt.workerId()).isEqualTo(holderId);
                assertThat(attempt.finishedAt()).isNotNull();
                assertThat(attempt.leaseExpiresAt()).isNull();
                assertThat(attempt.reason()).isEqualTo("asked: " + QUESTION);
            });
            await().untilAsserted(() -> assertThat(lifecycle.values(TaskLifecycleEvent.class,
                            event -> event.taskId().equals(asked.task()) && event.status() == TaskStatus.WAITING_FOR_INPUT))
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.question()).isEqualTo(QUESTION);
                        assertThat(event.attempt()).isEqualTo(1);
                        assertThat(event.reason()).isEqualTo("waiting for an answer to: " + QUESTION);
                        assertThat(event.costUsd()).isEqualByComparingTo("0.05");
                    }));
        }
        Counter asked = registry.find("taskq.tasks.questions").tag("pool", pool).counter();
        assertThat(asked).isNotNull();
        assertThat(asked.count()).isEqualTo(1.0);
        await().untilAsserted(() -> {
            Gauge waiting = registry.find("taskq.tasks.waiting.for.input").tag("pool", pool).gauge();
            assertThat(waiting).isNotNull();
            assertThat(waiting.value()).isEqualTo(1.0);
            assertThat(registry.find("taskq.tasks.waiting.for.input.oldest.age.seconds").tag("pool", pool).gauge().value())
                    .isPositive();
        });
    }

    @Test
    void aWaitingTaskHoldsNoSlotSoTheNextQueuedTaskIsReleased() {
        // One slot plus the release margin of two: three tasks in flight, the fourth waits in Postgres.
        List<NewTask> tasks = IntStream.range(0, 4).mapToObj(i -> NewTask.queued().pool(pool)).toList();
        TaskRows.insert(tasks, true);
        await().until(() -> count(tasks, TaskStatus.DISPATCHED) == 3);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).until(() -> count(tasks, TaskStatus.QUEUED) == 1);
        UUID asking = tasks.stream().map(NewTask::id)
                .filter(id -> TaskRows.task(id).status() == TaskStatus.DISPATCHED)
                .findFirst().orElseThrow();

        holder.started(asking, 1);
        holder.waitingForInput(asking, 1, QUESTION, TaskRows.task(asking).sessionId().toString(), null);

        await().until(() -> TaskRows.task(asking).status() == TaskStatus.WAITING_FOR_INPUT);
        await().until(() -> count(tasks, TaskStatus.DISPATCHED) == 3 && count(tasks, TaskStatus.QUEUED) == 0);
    }

    @Test
    void anAnswerResumesTheSessionThatAskedOnTheWorkerThatAskedItWithTheFramedAnswer() {
        Asked asked = askedTask();

        try (KafkaProbe direct = KafkaProbe.on(TOPICS.directDispatch())) {
            answer(asked.task());

            await().untilAsserted(() -> assertThat(direct.values(TaskDispatch.class, d -> d.taskId().equals(asked.task())))
                    .singleElement()
                    .satisfies(dispatch -> {
                        assertThat(dispatch.attempt()).isEqualTo(2);
                        assertThat(dispatch.targetWorkerId()).isEqualTo(holderId);
                        assertThat(dispatch.resumeSessionId()).isEqualTo(asked.session());
                        assertThat(dispatch.sessionId()).isNotEqualTo(asked.session());
                        assertThat(dispatch.prompt()).isEqualTo(QuestionText.answerPrompt(QUESTION, ANSWER));
                    }));
        }
        assertThat(TaskColumns.questions(asked.task())).singleElement().satisfies(question -> {
            assertThat(question.answer()).isEqualTo(ANSWER);
            assertThat(question.answeredAt()).isNotNull();
        });
        assertThat(TaskRows.attempt(asked.task(), 2)).hasValueSatisfying(attempt -> {
            assertThat(attempt.workerId()).isEqualTo(holderId);
            assertThat(attempt.leaseExpiresAt()).isAfter(Instant.now());
        });

        // The resumed session runs to its end like any other.
        UUID resumedSession = TaskRows.task(asked.task()).sessionId();
        holder.started(asked.task(), 2);
        holder.succeeded(asked.task(), 2, resumedSession.toString());
        await().until(() -> TaskRows.task(asked.task()).status() == TaskStatus.SUCCEEDED);
    }

    @Test
    void anAnswerWhoseAskingWorkerIsGoneStartsAFreshSessionToldTheQuestionTheAnswerAndWhereTheAskingSessionStopped() {
        Asked asked = askedTask();
        Workers.silent(holderId, 1, pool);
        Workers.alwaysLive("w-other-" + pool, 2, pool);

        answer(asked.task());

        await().until(() -> TaskRows.task(asked.task()).status() == TaskStatus.DISPATCHED);
        TaskDispatch dispatch = onThePoolTopic(asked.task());
        assertThat(dispatch.attempt()).isEqualTo(2);
        assertThat(dispatch.resumeSessionId()).isNull();
        assertThat(dispatch.targetWorkerId()).isNull();
        assertThat(dispatch.prompt()).isEqualTo("""
                say hello

                <context-from-task id="%s" relation="answered-question">
                %s
                <question>
                %s
                </question>
                <answer>
                %s
                </answer>
                <output attempt="1" lines="1-5">
                line 1
                line 2
                line 3
                line 4
                line 5
                </output>
                <git>
                working dir: /work/repo
                branch: feature/ask
                commit: 0123456789abcdef0123456789abcdef01234567
                dirty files:
                db/V2__move.sql
                </git>
                </context-from-task>""".formatted(asked.task(), ContinuationPrompt.ANSWERED_QUESTION_INTRO.formatted(1), QUESTION, ANSWER));
        assertThat(TaskRows.attempt(asked.task(), 2)).hasValueSatisfying(attempt -> assertThat(attempt.workerId()).isNull());
    }

    @Test
    void aTaskCancelledWhileItsSessionWasAskingStaysCancelled() {
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        holder.started(task.id(), 1);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.RUNNING);
        QuarkusTransaction.requiringNew().run(() -> stateWriter.cancel(task.id(), "no longer needed"));

        holder.waitingForInput(task.id(), 1, QUESTION, TaskRows.task(task.id()).sessionId().toString(), CHECKPOINT);
        // Same key, same partition: once this line is stored, the finish before it was consumed.
        holder.log(task.id(), 1, 1, 1);

        await().until(() -> TaskRows.logLines(task.id(), 1).size() == 1);
        assertThat(TaskRows.task(task.id()).status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(TaskRows.task(task.id()).reason()).isEqualTo("no longer needed");
        assertThat(TaskColumns.questions(task.id())).isEmpty();
        assertThat(TaskColumns.resumeSessionId(task.id())).isNull();
    }

    @Test
    void aSessionThatEndsWaitingForInputWithoutAQuestionFailsAsASessionError() {
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        holder.started(task.id(), 1);

        holder.send(new SessionFinished(task.id(), 1, holderId, 99, Instant.now(), SessionOutcome.WAITING_FOR_INPUT,
                null, 0, null, null, null, "  "));

        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.FAILED);
        assertThat(TaskRows.task(task.id()).reason()).isEqualTo(TaskEventApplier.MISSING_QUESTION_REASON);
        assertThat(TaskColumns.failureCause(task.id())).isEqualTo(FailureCause.SESSION_ERROR);
        assertThat(TaskColumns.attemptFailureCause(task.id(), 1)).isEqualTo(FailureCause.SESSION_ERROR);
        assertThat(TaskColumns.questions(task.id())).isEmpty();
        assertThat(TaskRows.attempts(task.id())).hasSize(1);
    }

    /** A task of the pool, released, started on the holder, five lines printed, and then its session asked. */
    private Asked askedTask() {
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        UUID session = TaskRows.task(task.id()).sessionId();
        holder.started(task.id(), 1);
        holder.log(task.id(), 1, 1, 5);
        holder.waitingForInput(task.id(), 1, QUESTION, session.toString(), CHECKPOINT);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.WAITING_FOR_INPUT);
        return new Asked(task.id(), session);
    }

    private record Asked(UUID task, UUID session) {}

    /** What the gateway's answer endpoint does. */
    private void answer(UUID task) {
        QuarkusTransaction.requiringNew().run(() -> stateWriter.answer(task, ANSWER));
    }

    private TaskDispatch onThePoolTopic(UUID task) {
        try (KafkaProbe poolTopic = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            await().untilAsserted(() -> assertThat(poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task) && d.attempt() == 2))
                    .hasSize(1));
            return poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task) && d.attempt() == 2).getFirst();
        }
    }

    private static long count(List<NewTask> tasks, TaskStatus status) {
        return tasks.stream().filter(task -> TaskRows.task(task.id()).status() == status).count();
    }
}
