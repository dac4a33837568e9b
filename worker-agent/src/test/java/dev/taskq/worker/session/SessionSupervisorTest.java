package dev.taskq.worker.session;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.TaskEvent;
import dev.taskq.testsupport.FakeClaude;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.domain.CliOptions;
import dev.taskq.worker.session.SessionSupervisor.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with the fake claude and an in-memory event sink: no Kafka, no Quarkus. */
class SessionSupervisorTest {

    @TempDir
    Path temp;

    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private SessionSettings settings;
    private SessionSupervisor supervisor;

    @BeforeEach
    void supervisorWithTwoSlots() {
        Path claude = FakeClaude.install(temp.resolve("bin"));
        settings = new SessionSettings(
                new CliOptions(claude.toString(), 50, "bypassPermissions", List.of()),
                Map.of("PATH", System.getenv("PATH")),
                temp.resolve("work"),
                Duration.ofSeconds(2),
                100,
                Duration.ofMillis(100),
                2000,
                16000,
                new WorkerIdentity("worker-1", "host-1", false),
                Clock.systemUTC());
        supervisor = new SessionSupervisor(2, settings, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Duration.ofMinutes(10), new SimpleMeterRegistry());
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        supervisor.abandonAll();
        supervisor.close();
    }

    @Test
    void sessionsStillRunningAtShutdownAreKilledWithoutAReport() throws Exception {
        TaskDispatch dispatch = aDispatch().prompt("long [fake:sleep=30]").build();
        assertThat(supervisor.admit(dispatch)).isEqualTo(Admission.STARTED);
        SessionStarted started = await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().filter(SessionStarted.class::isInstance).map(SessionStarted.class::cast)
                        .findFirst().orElse(null), e -> e != null);
        ProcessHandle process = ProcessHandle.of(started.pid()).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> process.descendants().findAny().isPresent());
        List<ProcessHandle> tree = process.descendants().toList();

        supervisor.stopAccepting();
        assertThat(supervisor.awaitIdle(Duration.ofMillis(200))).isFalse();
        supervisor.abandonAll();

        assertThat(process.isAlive()).isFalse();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(events).noneMatch(SessionFinished.class::isInstance);
        assertThat(supervisor.freeSlots()).isEqualTo(2);
        assertThat(supervisor.admit(aDispatch().build())).isEqualTo(Admission.SHUTTING_DOWN);
    }

    @Test
    void anExecutableThatCannotStartFailsTheAttemptWithTheReason() {
        SessionSettings broken = new SessionSettings(
                new CliOptions(temp.resolve("no-such-claude").toString(), 50, "", List.of()), Map.of(),
                temp.resolve("work"), Duration.ofSeconds(1), 100, Duration.ofMillis(100), 2000, 16000,
                new WorkerIdentity("worker-1", "host-1", false), Clock.systemUTC());
        SessionSupervisor brokenSupervisor = new SessionSupervisor(1, broken, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Duration.ofMinutes(10), new SimpleMeterRegistry());
        TaskDispatch dispatch = aDispatch().build();

        brokenSupervisor.admit(dispatch);

        SessionFinished finished = await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().filter(SessionFinished.class::isInstance).map(SessionFinished.class::cast)
                        .findFirst().orElse(null), e -> e != null);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.reason()).startsWith("cannot start " + temp.resolve("no-such-claude"));
        assertThat(events).noneMatch(SessionStarted.class::isInstance);
        assertThat(events).filteredOn(SessionLog.class::isInstance).singleElement()
                .satisfies(log -> assertThat(((SessionLog) log).lines().getFirst().kind()).isEqualTo(LogKind.WORKER));
        brokenSupervisor.close();
    }

    @Test
    void aSessionCancelledBeforeItsProcessStartsIsReportedCancelledWithoutStarting() {
        TaskDispatch dispatch = aDispatch().build();
        ClaudeSession session = new ClaudeSession(dispatch, settings, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Executors.newSingleThreadScheduledExecutor());

        session.cancel("changed my mind");
        session.run();

        assertThat(events).noneMatch(SessionStarted.class::isInstance);
        assertThat(events.getLast()).isInstanceOfSatisfying(SessionFinished.class, finished -> {
            assertThat(finished.outcome()).isEqualTo(SessionOutcome.CANCELLED);
            assertThat(finished.reason()).isEqualTo("cancelled: changed my mind");
        });
    }
}
