package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskColumns;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.AttemptRow;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.dependency.testing.Workers;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatch rescue against the real Postgres and Kafka: a dispatch nobody starts (as in the paused partition of a
 * full worker) is re-sent to a free worker of its pool after 2 s ({@link DispatchRescueProfile}).
 */
@QuarkusTest
@TestProfile(DispatchRescueProfile.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class DispatchRescueIT {

    private static final Pattern RESCUE_REASON = Pattern.compile(
            "not picked up in (\\d+\\.\\d)s while worker (\\S+) had a free slot; sent to it directly as attempt (\\d+)");
    /** Longer than the rescue's 2 s wait plus a 1 s pass interval, with room to spare. */
    private static final Duration RESCUE_WOULD_HAVE_HAPPENED = Duration.ofSeconds(4);

    private final String pool = Pools.fresh("rescue");
    // The worker whose paused partition the dispatch landed in: every slot taken.
    private final String full = "w-full-" + pool;
    private final String idle = "w-idle-" + pool;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private KafkaProbe direct;
    private KafkaProbe commands;

    @Inject
    MeterRegistry registry;

    @Inject
    DispatchRescue rescue;

    @BeforeEach
    void openProbes() {
        direct = KafkaProbe.on(TOPICS.directDispatch());
        commands = KafkaProbe.on(TOPICS.workerCommands());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing.reversed()) {
            each.close();
        }
        direct.close();
        commands.close();
        Pools.retire(pool);
    }

    @Test
    void aDispatchLeftUnstartedWhileAnotherWorkerOfItsPoolHasAFreeSlotIsSentToThatWorkerDirectly() {
        Workers.alwaysLive(full, 1, 1, pool);
        Workers.alwaysLive(idle, 2, pool);
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);

        TaskDispatch resent = awaitDirect(task.id(), 2);

        assertThat(resent.targetWorkerId()).isEqualTo(idle);
        assertThat(resent.resumeSessionId()).isNull();
        assertThat(resent.pool()).isEqualTo(pool);
        assertThat(resent.prompt()).isEqualTo("say hello");
        assertThat(resent.sessionId()).isEqualTo(TaskRows.task(task.id()).sessionId());
        assertThat(TaskRows.task(task.id())).satisfies(row -> {
            assertThat(row.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(row.currentAttempt()).isEqualTo(2);
        });
        AttemptRow withdrawn = TaskRows.attempt(task.id(), 1).orElseThrow();
        assertThat(withdrawn.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(withdrawn.workerId()).isNull();
        assertThat(withdrawn.finishedAt()).isNotNull();
        Matcher reason = RESCUE_REASON.matcher(withdrawn.reason());
        assertThat(reason.matches()).as(withdrawn.reason()).isTrue();
        assertThat(reason.group(2)).isEqualTo(idle);
        assertThat(reason.group(3)).isEqualTo("2");
        // It was left alone for the configured 2 s first.
        assertThat(Double.parseDouble(reason.group(1))).isGreaterThanOrEqualTo(2.0);
        assertThat(TaskColumns.attemptFailureCause(task.id(), 1)).isNull();
        // Owned by its target with a lease from now, like a resume: a target that dies before starting it loses it.
        assertThat(TaskRows.attempt(task.id(), 2)).hasValueSatisfying(sent -> {
            assertThat(sent.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(sent.workerId()).isEqualTo(idle);
            assertThat(sent.leaseExpiresAt()).isNotNull();
        });
        // The worker whose partition still holds the old record is told to skip it.
        await().untilAsserted(() -> assertThat(commands.values(WorkerCommand.class, c -> c.taskId().equals(task.id())))
                .singleElement()
                .satisfies(command -> {
                    assertThat(command.type()).isEqualTo(WorkerCommand.Type.CANCEL);
                    assertThat(command.attempt()).isEqualTo(1);
                    assertThat(command.reason()).isEqualTo(withdrawn.reason());
                }));
        try (KafkaProbe poolTopic = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            assertThat(poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task.id())))
                    .extracting(TaskDispatch::attempt)
                    .containsExactly(1);
        }
        assertThat(registry.find("taskq.dispatch.rescued").tag("pool", pool).counter())
                .isNotNull()
                .extracting(Counter::count)
                .isEqualTo(1.0);
    }

    @Test
    void aDispatchStaysWhereItIsWhileEveryWorkerOfItsPoolIsFullOrGatedAndIsSentOnceAGateOpens() {
        String gated = "w-gated-" + pool;
        String elsewhere = Pools.fresh("rescue-elsewhere");
        closing.add(() -> Pools.retire(elsewhere));
        Workers.alwaysLive(full, 2, 2, pool);
        // One session of four running, but its host is short of memory: it takes nothing more, so neither does a rescue.
        Workers.alwaysLive(gated, 4, 1, pool);
        Workers.gate(gated, false);
        // Free, but of another pool.
        Workers.alwaysLive("w-idle-" + elsewhere, 4, elsewhere);
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);

        await().during(RESCUE_WOULD_HAVE_HAPPENED).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TaskRows.task(task.id()).currentAttempt()).isEqualTo(1);
            assertThat(direct.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).isEmpty();
        });
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(attempt.finishedAt()).isNull();
        });

        Workers.gate(gated, true);

        assertThat(awaitDirect(task.id(), 2).targetWorkerId()).isEqualTo(gated);
    }

    @Test
    void aDispatchAWorkerStartedIsLeftAloneWhetherItsStartOrOnlyThatWorkersHeartbeatHasArrived() {
        NewTask reported = NewTask.queued().pool(pool);
        NewTask heartbeatOnly = NewTask.queued().pool(pool);
        // The second one's SessionStarted is stuck behind a backlog of task events; only the heartbeats say it runs.
        FakeWorker runner = beating("w-runner-" + pool, 4, new AttemptRef(heartbeatOnly.id(), 1));
        Workers.alwaysLive(idle, 4, pool);
        TaskRows.insert(reported, heartbeatOnly);
        await().until(() -> TaskRows.task(reported.id()).status() == TaskStatus.DISPATCHED);
        runner.started(reported.id(), 1);

        await().until(() -> TaskRows.task(reported.id()).status() == TaskStatus.RUNNING);
        await().until(() -> runner.id().equals(TaskRows.attempt(heartbeatOnly.id(), 1).map(AttemptRow::workerId).orElse(null)));
        await().during(RESCUE_WOULD_HAVE_HAPPENED).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TaskRows.task(reported.id()).currentAttempt()).isEqualTo(1);
            assertThat(TaskRows.task(heartbeatOnly.id()).currentAttempt()).isEqualTo(1);
            assertThat(direct.values(TaskDispatch.class,
                    d -> d.taskId().equals(reported.id()) || d.taskId().equals(heartbeatOnly.id()))).isEmpty();
        });
        // The heartbeats hold its lease too, and the late start applies as usual.
        assertThat(TaskRows.attempt(heartbeatOnly.id(), 1)).hasValueSatisfying(attempt ->
                assertThat(attempt.leaseExpiresAt()).isNotNull());
        runner.started(heartbeatOnly.id(), 1);
        await().until(() -> TaskRows.task(heartbeatOnly.id()).status() == TaskStatus.RUNNING);
    }

    @Test
    void aResumeSentToTheWorkerHoldingItsSessionIsLeftToThatWorkerWhileAnotherHasAFreeSlot() {
        String holder = "w-holder-" + pool;
        NewTask task = NewTask.queued().pool(pool);
        // Nothing serves the pool yet, so nothing is released before the resume columns are set.
        TaskRows.insert(List.of(task), false);
        TaskRows.set(task.id(), "resume_session_id", UUID.randomUUID());
        TaskRows.set(task.id(), "resume_worker_id", holder);
        // Its heartbeats keep the lease of the resume sent to it; it just has not started it.
        beating(holder, 2);
        await().until(() -> TestDatabase.count("select count(*) from workers where worker_id = ?", holder) == 1);
        Workers.alwaysLive(idle, 2, pool);

        assertThat(awaitDirect(task.id(), 1).targetWorkerId()).isEqualTo(holder);
        await().during(RESCUE_WOULD_HAVE_HAPPENED).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TaskRows.task(task.id()).currentAttempt()).isEqualTo(1);
            assertThat(direct.values(TaskDispatch.class, d -> d.taskId().equals(task.id())))
                    .extracting(TaskDispatch::attempt)
                    .containsExactly(1);
        });
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(attempt.workerId()).isEqualTo(holder);
        });
    }

    @Test
    void aRescuedTaskWithASingleAttemptRunsToSuccessOnTheWorkerItWasSentTo() {
        Workers.alwaysLive(full, 1, 1, pool);
        FakeWorker target = beating(idle, 2);
        NewTask task = NewTask.queued().pool(pool).maxAttempts(1);
        TaskRows.insert(task);

        awaitDirect(task.id(), 2);
        target.started(task.id(), 2);
        target.succeeded(task.id(), 2, null);

        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.SUCCEEDED);
        assertThat(TaskRows.attempts(task.id()))
                .extracting(AttemptRow::attempt, AttemptRow::status, AttemptRow::workerId)
                .containsExactly(tuple(1, TaskStatus.CANCELLED, null), tuple(2, TaskStatus.SUCCEEDED, idle));
    }

    @Test
    void theFullWorkerStartingTheWithdrawnDispatchLaterIsToldToCancelItWhileTheTaskRunsOnItsNewWorker() {
        Workers.alwaysLive(full, 1, 1, pool);
        FakeWorker target = beating(idle, 2);
        FakeWorker stale = new FakeWorker(full);
        closing.add(stale);
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);
        awaitDirect(task.id(), 2);
        String withdrawnReason = TaskRows.attempt(task.id(), 1).orElseThrow().reason();

        // A slot frees on the full worker after it forgot the cancel, and it starts the old record.
        stale.started(task.id(), 1);

        await().untilAsserted(() -> assertThat(commands.values(WorkerCommand.class,
                        c -> c.taskId().equals(task.id()) && c.attempt() == 1))
                .extracting(WorkerCommand::reason)
                .contains("attempt 1 is no longer current: the current attempt is 2"));
        assertThat(TaskRows.task(task.id()).status()).isEqualTo(TaskStatus.DISPATCHED);
        target.started(task.id(), 2);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.RUNNING);
        stale.failed(task.id(), 1, "session killed: cancelled");
        target.succeeded(task.id(), 2, null);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.SUCCEEDED);
        assertThat(TaskRows.attempt(task.id(), 1)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(attempt.workerId()).isNull();
            assertThat(attempt.reason()).isEqualTo(withdrawnReason);
        });
    }

    @Test
    void aRescuedDispatchItsWorkerDoesNotStartIsSentOnToAnotherFreeWorkerWhichRunsItEvenWithASingleAttempt() {
        String draining = "w-draining-" + pool;
        Workers.alwaysLive(full, 1, 1, pool);
        // Shutting down: its consumers are stopped, but its heartbeats still offer two free slots.
        beating(draining, 2);
        NewTask task = NewTask.queued().pool(pool).maxAttempts(1);
        TaskRows.insert(task);
        assertThat(awaitDirect(task.id(), 2).targetWorkerId()).isEqualTo(draining);

        FakeWorker next = beating(idle, 2);
        TaskDispatch resent = awaitDirect(task.id(), 3);

        assertThat(resent.targetWorkerId()).isEqualTo(idle);
        AttemptRow unstarted = TaskRows.attempt(task.id(), 2).orElseThrow();
        assertThat(unstarted.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(unstarted.workerId()).isEqualTo(draining);
        assertThat(unstarted.reason()).matches("not started by worker " + draining
                + " in \\d+\\.\\ds while worker " + idle + " had a free slot; sent to it directly as attempt 3");
        await().untilAsserted(() -> assertThat(commands.values(WorkerCommand.class, c -> c.taskId().equals(task.id())))
                .extracting(WorkerCommand::attempt)
                .containsExactly(1, 2));
        next.started(task.id(), 3);
        next.succeeded(task.id(), 3, null);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.SUCCEEDED);
        assertThat(TaskRows.attempts(task.id()))
                .extracting(AttemptRow::attempt, AttemptRow::status, AttemptRow::workerId)
                .containsExactly(
                        tuple(1, TaskStatus.CANCELLED, null),
                        tuple(2, TaskStatus.CANCELLED, draining),
                        tuple(3, TaskStatus.SUCCEEDED, idle));
    }

    @Test
    void aRescuedTaskWhoseNewWorkerIsLostBeforeStartingItIsRetriedUncountedEvenWithASingleAttempt() {
        String doomed = "w-doomed-" + pool;
        Workers.alwaysLive(full, 1, 1, pool);
        // Live in the table, but it neither heartbeats nor starts what it is sent.
        Workers.alwaysLive(doomed, 1, pool);
        NewTask task = NewTask.queued().pool(pool).maxAttempts(1);
        TaskRows.insert(task);

        assertThat(awaitDirect(task.id(), 2).targetWorkerId()).isEqualTo(doomed);

        // Its lease runs out before it started the session: the rescue's choice failed, not the task, which goes again.
        awaitOnThePoolTopic(task.id(), 1, 3);
        Workers.silent(doomed, 1, pool);
        assertThat(TaskRows.attempt(task.id(), 2)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(attempt.workerId()).isEqualTo(doomed);
            assertThat(attempt.reason()).startsWith("worker " + doomed + " lost: no heartbeat since ");
        });
        assertThat(TaskColumns.attemptFailureCause(task.id(), 2)).isEqualTo(FailureCause.WORKER_LOST);
    }

    @Test
    void aRescuedTaskWhoseNewWorkerDiesMidSessionIsRetriedForItWasOnlyTheFirstCountedAttemptOfTwo() {
        Workers.alwaysLive(full, 1, 1, pool);
        Workers.alwaysLive(idle, 1, pool);
        FakeWorker mortal = new FakeWorker(idle);
        closing.add(mortal);
        NewTask task = NewTask.queued().pool(pool).maxAttempts(2);
        TaskRows.insert(task);
        TaskColumns.retryPolicy(task.id(), Duration.ofMillis(100), false);
        awaitDirect(task.id(), 2);

        mortal.started(task.id(), 2);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.RUNNING);

        // No heartbeat ever comes: the lease runs out on attempt 2, the first of two that count, so a third follows.
        awaitOnThePoolTopic(task.id(), 1, 3);
        Workers.silent(idle, 1, pool);
        assertThat(TaskRows.attempt(task.id(), 2)).hasValueSatisfying(attempt -> {
            assertThat(attempt.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(attempt.workerId()).isEqualTo(idle);
        });
        assertThat(TaskColumns.attemptFailureCause(task.id(), 2)).isEqualTo(FailureCause.WORKER_LOST);
    }

    @Test
    void nothingIsRescuedWhileTheOutboxRelayIsBehindForTheDispatchMayNotHaveReachedKafkaYet() throws Exception {
        Workers.alwaysLive(full, 1, 1, pool);
        Workers.alwaysLive(idle, 2, pool);
        NewTask task = NewTask.queued().pool(pool);
        try (Connection relayLock = PostgresTestResource.connect()) {
            // Holding the relay's advisory lock (OutboxQueue.RELAY_LOCK) stops every replica's relay.
            relayLock.setAutoCommit(false);
            try (PreparedStatement lock = relayLock.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, 0x7461736b71L);
                lock.execute();
            }
            TaskRows.insert(task);
            await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);

            await().during(RESCUE_WOULD_HAVE_HAPPENED).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(TaskRows.task(task.id()).currentAttempt()).isEqualTo(1));
            relayLock.commit();
        }

        // Published at last, and still not started: now it is stuck.
        assertThat(awaitDirect(task.id(), 2).targetWorkerId()).isEqualTo(idle);
    }

    @Test
    void passesRunningAtOnceAsOnSeveralReplicasPromiseAFreeSlotOnlyOnce() throws Exception {
        Workers.alwaysLive(full, 2, 2, pool);
        NewTask first = NewTask.queued().pool(pool);
        NewTask second = NewTask.queued().pool(pool);
        TaskRows.insert(first, second);
        await().until(() -> TaskRows.task(first.id()).status() == TaskStatus.DISPATCHED
                && TaskRows.task(second.id()).status() == TaskStatus.DISPATCHED);
        Workers.alwaysLive(idle, 1, pool);

        // Four passes at once, each as of a moment when both dispatches waited long enough; the service's own runs too.
        Instant later = Instant.now().plusSeconds(5);
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        int rescued = 0;
        try {
            List<Future<Integer>> passes = IntStream.range(0, 4).mapToObj(i -> replicas.submit(() -> rescue.rescuePass(later))).toList();
            for (Future<Integer> pass : passes) {
                rescued += pass.get();
            }
        } finally {
            replicas.shutdown();
        }

        assertThat(rescued).isLessThanOrEqualTo(1);
        await().during(RESCUE_WOULD_HAVE_HAPPENED).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(List.of(TaskRows.task(first.id()).currentAttempt(), TaskRows.task(second.id()).currentAttempt()))
                    .containsExactlyInAnyOrder(1, 2);
            assertThat(direct.values(TaskDispatch.class, d -> idle.equals(d.targetWorkerId()))).hasSize(1);
        });
    }

    /** The dispatch of the task's attempt on the direct topic, once it is there. */
    private TaskDispatch awaitDirect(UUID taskId, int attempt) {
        await().untilAsserted(() -> assertThat(direct.values(TaskDispatch.class, d -> d.taskId().equals(taskId)))
                .extracting(TaskDispatch::attempt)
                .contains(attempt));
        return direct.values(TaskDispatch.class, d -> d.taskId().equals(taskId) && d.attempt() == attempt).getFirst();
    }

    /** Waits until the task's dispatches on its pool's P2 topic are exactly these attempts. */
    private void awaitOnThePoolTopic(UUID taskId, Integer... attempts) {
        try (KafkaProbe poolTopic = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            await().untilAsserted(() -> assertThat(poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(taskId)))
                    .extracting(TaskDispatch::attempt)
                    .containsExactly(attempts));
        }
    }

    /** A worker of the pool heartbeating every 500 ms until the test ends, reporting {@code running}. */
    private FakeWorker beating(String workerId, int slots, AttemptRef... running) {
        FakeWorker worker = new FakeWorker(workerId);
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        beats.scheduleAtFixedRate(() -> worker.heartbeat(slots, List.of(pool), List.of(running)), 0, 500, TimeUnit.MILLISECONDS);
        closing.add(() -> {
            beats.shutdownNow();
            beats.awaitTermination(5, TimeUnit.SECONDS);
            worker.close();
        });
        return worker;
    }
}
