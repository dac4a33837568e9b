package dev.taskq.worker.session;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.CommandPolicy;
import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.SessionCheckpointed;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.security.TaskPolicy;
import dev.taskq.common.event.TaskEvent;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.testsupport.FakeClaude;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.domain.CliOptions;
import dev.taskq.worker.domain.Dispatches;
import dev.taskq.worker.domain.TranscriptPath;
import dev.taskq.worker.session.SessionSupervisor.Admission;
import dev.taskq.worker.workspace.WorkspaceSettings;
import dev.taskq.worker.workspace.Workspaces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
        settings = settings(claude.toString(), "bypassPermissions", Map.of(
                "PATH", System.getenv("PATH"),
                "HOME", temp.resolve("home").toString(),
                "FAKE_CLAUDE_LOG", argvLog().toString()));
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
        assertThat(tree).allMatch(ProcessTree::hasExited);
        assertThat(events).noneMatch(SessionFinished.class::isInstance);
        assertThat(supervisor.freeSlots()).isEqualTo(2);
        assertThat(supervisor.admit(aDispatch().build())).isEqualTo(Admission.SHUTTING_DOWN);
    }

    @Test
    void anExecutableThatCannotStartFailsTheAttemptWithTheReason() {
        SessionSettings broken = settings(temp.resolve("no-such-claude").toString(), "", Map.of());
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
    void outputPastTheAttemptsCapIsLeftOutWithOneNoteAndTheResultIsStillReported() {
        SessionSettings capped = settings(settings.cli().executable(), "bypassPermissions", settings.environment(), 200);
        TaskDispatch dispatch = aDispatch().prompt("chatty [fake:lines=100]").build();
        ClaudeSession session = new ClaudeSession(dispatch, capped, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Executors.newSingleThreadScheduledExecutor());

        session.run();

        List<LogLine> lines = events.stream().filter(SessionLog.class::isInstance)
                .flatMap(event -> ((SessionLog) event).lines().stream()).toList();
        List<LogLine> output = lines.stream().filter(line -> line.kind() != LogKind.WORKER).toList();
        assertThat(output).isNotEmpty();
        assertThat(output.stream().mapToLong(line -> line.text().length()).sum()).isLessThanOrEqualTo(200);
        assertThat(output).extracting(LogLine::text).doesNotContain("line 100 of 100");
        assertThat(lines).filteredOn(line -> line.text().startsWith("output left out:")).singleElement()
                .satisfies(note -> {
                    assertThat(note.kind()).isEqualTo(LogKind.WORKER);
                    assertThat(note.text()).contains("past the cap of 200 bytes per attempt");
                    // Every later line of the session was left out: the note comes after the last one sent.
                    assertThat(note.lineNumber()).isGreaterThan(output.getLast().lineNumber());
                });
        assertThat(lines).extracting(LogLine::lineNumber).isSorted().doesNotHaveDuplicates();
        assertThat(events.getLast()).isInstanceOfSatisfying(SessionFinished.class, finished -> {
            assertThat(finished.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
            assertThat(finished.result().resultText()).isEqualTo("ok");
        });
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
    @Test
    void aDispatchForThisWorkerAloneIsHeldWhileItIsFullAndStartsInTheNextFreedSlot() {
        TaskDispatch first = sleeper();
        TaskDispatch second = sleeper();
        TaskDispatch direct = aDispatch().prompt("mine [fake:sleep=30]").forWorker("worker-1").build();
        supervisor.admit(first);
        supervisor.admit(second);

        assertThat(supervisor.admitOrHold(direct)).isEqualTo(Admission.HELD);
        assertThat(supervisor.heldAttempts()).containsExactly(ref(direct));
        assertThat(supervisor.admitOrHold(direct)).as("a redelivery").isEqualTo(Admission.ALREADY_SEEN);
        assertThat(supervisor.freeSlots()).isZero();
        assertThat(events).noneMatch(event -> event.taskId().equals(direct.taskId()));

        supervisor.cancel(cancel(first));

        awaitStarted(direct);
        assertThat(supervisor.heldAttempts()).isEmpty();
        assertThat(supervisor.runningAttempts()).containsExactlyInAnyOrder(ref(second), ref(direct));
    }

    @Test
    void waitingForAFreeSlotEndsWhenASessionEndsNotWhenTheWaitRunsOut() throws Exception {
        TaskDispatch first = sleeper();
        supervisor.admit(first);
        supervisor.admit(sleeper());
        assertThat(supervisor.awaitFreeSlot(Duration.ofMillis(50))).as("full, nothing ends").isFalse();

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return supervisor.awaitFreeSlot(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        supervisor.cancel(cancel(first));

        assertThat(waiting.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(supervisor.freeSlots()).isEqualTo(1);
    }

    @Test
    void aHeldDispatchCancelledBeforeASlotFreesNeverStarts() {
        TaskDispatch first = sleeper();
        supervisor.admit(first);
        supervisor.admit(sleeper());
        TaskDispatch direct = aDispatch().forWorker("worker-1").build();
        supervisor.admitOrHold(direct);

        supervisor.cancel(cancel(direct));
        supervisor.cancel(cancel(first));
        awaitFinished(first);

        assertThat(supervisor.heldAttempts()).isEmpty();
        assertThat(supervisor.freeSlots()).isEqualTo(1);
        assertThat(events).noneMatch(event -> event.taskId().equals(direct.taskId()));
        assertThat(supervisor.admitOrHold(direct)).isEqualTo(Admission.CANCELLED_BEFORE_START);
    }

    @Test
    void heldDispatchesAreDroppedAtShutdown() {
        supervisor.admit(sleeper());
        supervisor.admit(sleeper());
        supervisor.admitOrHold(aDispatch().forWorker("worker-1").build());

        supervisor.stopAccepting();

        assertThat(supervisor.heldAttempts()).isEmpty();
        assertThat(supervisor.admitOrHold(aDispatch().forWorker("worker-1").build())).isEqualTo(Admission.SHUTTING_DOWN);
    }

    @Test
    void aResumeOfASessionWhoseTranscriptIsNotHereFailsRetryablyWithoutStartingTheCli() throws Exception {
        Path project = Files.createDirectories(temp.resolve("project"));
        UUID elsewhere = UUID.randomUUID();
        TaskDispatch dispatch = aDispatch().workingDir(project.toString()).resuming(elsewhere).build();

        supervisor.admit(dispatch);

        SessionFinished finished = awaitFinished(dispatch);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.reason()).isEqualTo("session " + elsewhere + " is not on worker worker-1");
        assertThat(finished.failureCause()).isEqualTo(FailureCause.SESSION_UNAVAILABLE);
        assertThat(finished.checkpoint()).isNull();
        assertThat(events).noneMatch(SessionStarted.class::isInstance);
        assertThat(argvLog()).doesNotExist();
    }

    @Test
    void aResumeRunsTheCliWithResumeInTheDirectoryHoldingTheTranscript() throws Exception {
        Path project = Files.createDirectories(temp.resolve("project"));
        UUID earlier = UUID.randomUUID();
        writeTranscript(project, earlier);
        TaskDispatch dispatch = aDispatch().workingDir(project.toString()).resuming(earlier).build();

        supervisor.admit(dispatch);

        assertThat(awaitFinished(dispatch).outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(Files.readString(argvLog())).contains(
                "--resume " + earlier + " --fork-session --session-id " + dispatch.sessionId());
    }

    @Test
    void aResumeThatNamesNoDirectoryRunsWhereThisWorkerRanTheSession() throws Exception {
        Path ranIn = Files.createDirectories(settings.workRoot().resolve(UUID.randomUUID() + "-1"));
        Files.createDirectories(settings.workRoot().resolve(UUID.randomUUID() + "-1"));
        UUID earlier = UUID.randomUUID();
        writeTranscript(ranIn, earlier);
        TaskDispatch dispatch = aDispatch().resuming(earlier).build();

        supervisor.admit(dispatch);

        awaitFinished(dispatch);
        assertThat(logLines(dispatch)).anySatisfy(line -> assertThat(line)
                .startsWith("worker worker-1 started ")
                .endsWith(" in " + ranIn + ", resuming session " + earlier));
    }

    @Test
    void aSessionEndingInAGitCheckoutReportsWhereItLeftIt() {
        GitRepo repo = GitRepo.withOneCommit(temp.resolve("repo"));
        repo.write("notes.txt", "work in progress");
        TaskDispatch dispatch = aDispatch().workingDir(repo.dir().toString()).build();

        supervisor.admit(dispatch);

        Checkpoint checkpoint = awaitFinished(dispatch).checkpoint();
        assertThat(checkpoint.workingDir()).isEqualTo(repo.dir().toString());
        assertThat(checkpoint.gitBranch()).isEqualTo("main");
        assertThat(checkpoint.gitCommit()).isEqualTo(repo.git("rev-parse", "HEAD"));
        assertThat(checkpoint.dirtyFiles()).containsExactly("notes.txt");
        assertThat(checkpoint.dirtyFilesTruncated()).isFalse();
    }

    @Test
    void aTaskNamingARepositoryRunsInItsOwnCheckoutOfIt() {
        GitRepo upstream = GitRepo.withOneCommit(temp.resolve("upstream"));
        TaskDispatch dispatch = withRepo(aDispatch().build(), "file://" + upstream.dir(), "main");

        supervisor.admit(dispatch);

        Checkpoint checkpoint = awaitFinished(dispatch).checkpoint();
        Path checkout = settings.workRoot().resolve("tasks").resolve(dispatch.taskId().toString());
        assertThat(checkpoint.workingDir()).isEqualTo(checkout.toString());
        assertThat(checkpoint.gitCommit()).isEqualTo(upstream.git("rev-parse", "HEAD"));
        assertThat(logLines(dispatch)).anySatisfy(line -> assertThat(line).endsWith(" in " + checkout));
    }

    @Test
    void aRepositoryRefThatDoesNotExistFailsTheAttemptWithoutStartingTheCli() {
        GitRepo upstream = GitRepo.withOneCommit(temp.resolve("upstream"));
        TaskDispatch dispatch = withRepo(aDispatch().build(), "file://" + upstream.dir(), "no-such-branch");

        supervisor.admit(dispatch);

        SessionFinished finished = awaitFinished(dispatch);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.reason()).isEqualTo("ref no-such-branch is no branch, tag or commit of file://" + upstream.dir());
        assertThat(events).noneMatch(SessionStarted.class::isInstance);
    }

    private static TaskDispatch withRepo(TaskDispatch d, String repoUrl, String repoRef) {
        return TaskDispatch.ofClaude(d.taskId(), d.attempt(), d.priority(), d.pool(), d.prompt(), null, d.timeoutSeconds(),
                d.maxTurns(), d.model(), d.sessionId(), d.metadata(), d.readyAt(), d.dispatchedAt(), d.resumeSessionId(),
                d.targetWorkerId(), d.maxBudgetUsd(), d.allowedTools(), d.disallowedTools(), d.appendSystemPrompt(),
                d.permissionMode(), repoUrl, repoRef, d.taskId());
    }

    @Test
    void aSessionInAFreshDirectoryHasACheckpointWithoutGitStateButWithTheSessionsOwn() {
        TaskDispatch dispatch = aDispatch().prompt("hello [fake:lines=2]").build();

        supervisor.admit(dispatch);

        Checkpoint checkpoint = awaitFinished(dispatch).checkpoint();
        assertThat(checkpoint.workingDir()).isEqualTo(settings.workRoot().resolve(dispatch.taskId() + "-1").toString());
        assertThat(checkpoint.gitBranch()).isNull();
        assertThat(checkpoint.gitCommit()).isNull();
        assertThat(checkpoint.dirtyFiles()).isEmpty();
        assertThat(checkpoint.sessionId()).isEqualTo(dispatch.sessionId().toString());
        // The fake reports a cost of 0 in its result; the last stored line is the worker's verdict.
        assertThat(checkpoint.costUsd()).isZero();
        assertThat(checkpoint.lastLines()).contains("line 2 of 2").last().isEqualTo("SUCCEEDED");
        assertThat(checkpoint.takenAt()).isNotNull();
    }

    @Test
    void aRunningSessionPublishesItsCheckpointPeriodicallyAfterTheLinesItNames() {
        SessionSettings periodic = settings(settings.cli().executable(), "bypassPermissions", settings.environment(),
                10 * 1024 * 1024, Duration.ofMillis(200));
        GitRepo repo = GitRepo.withOneCommit(temp.resolve("repo"));
        repo.write("draft.txt", "half done");
        TaskDispatch dispatch = aDispatch().prompt("think [fake:lines=3] [fake:sleep=30]").workingDir(repo.dir().toString())
                .build();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService checkpointTimer = Executors.newSingleThreadScheduledExecutor();
        ClaudeSession session = new ClaudeSession(dispatch, periodic, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, timers, checkpointTimer);
        Thread running = Thread.ofVirtual().start(session::run);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> checkpoints().size() >= 2
                    && checkpoints().getLast().checkpoint().lastLines().contains("line 3 of 3"));
        } finally {
            session.cancel("test over");
            join(running);
            timers.shutdownNow();
            checkpointTimer.shutdownNow();
        }

        List<SessionCheckpointed> checkpoints = checkpoints();
        Checkpoint latest = checkpoints.getLast().checkpoint();
        assertThat(latest.gitBranch()).isEqualTo("main");
        assertThat(latest.gitCommit()).isEqualTo(repo.git("rev-parse", "HEAD"));
        assertThat(latest.dirtyFiles()).containsExactly("draft.txt");
        assertThat(latest.sessionId()).isEqualTo(dispatch.sessionId().toString());
        assertThat(latest.costUsd()).as("no result yet, so no cost").isNull();
        assertThat(latest.lastLines()).containsSubsequence("ok", "line 1 of 3", "line 2 of 3", "line 3 of 3");
        assertThat(checkpoints).extracting(event -> event.checkpoint().takenAt()).isSorted();
        // Every line a checkpoint names was sent in a log event before it.
        for (SessionCheckpointed checkpointed : checkpoints) {
            int at = events.indexOf(checkpointed);
            List<String> sentBefore = events.subList(0, at).stream().filter(SessionLog.class::isInstance)
                    .flatMap(event -> ((SessionLog) event).lines().stream()).map(LogLine::text).toList();
            assertThat(sentBefore).containsAll(checkpointed.checkpoint().lastLines());
        }
        // None after the attempt's last event, and the sequence has no gap.
        assertThat(events.getLast()).isInstanceOf(SessionFinished.class);
        assertThat(events).extracting(TaskEvent::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(events.getLast().sequence()).isEqualTo(events.size());
    }

    @Test
    void aSessionHandedBackAtShutdownIsStoppedAndReportedDrainedWithItsCheckpoint() throws Exception {
        TaskDispatch dispatch = aDispatch().prompt("long [fake:lines=2] [fake:sleep=30]").build();
        supervisor.admit(dispatch);
        SessionStarted started = await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                .filter(SessionStarted.class::isInstance).map(SessionStarted.class::cast).findFirst().orElse(null),
                e -> e != null);
        ProcessHandle process = ProcessHandle.of(started.pid()).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> process.descendants().findAny().isPresent());
        List<ProcessHandle> tree = process.descendants().toList();
        supervisor.stopAccepting();

        assertThat(supervisor.handBackAll("worker worker-1 shut down; handed back")).isEqualTo(1);

        SessionFinished finished = awaitFinished(dispatch);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.failureCause()).isEqualTo(FailureCause.DRAINED);
        assertThat(finished.reason()).isEqualTo("worker worker-1 shut down; handed back");
        assertThat(finished.result()).isNull();
        assertThat(finished.checkpoint().sessionId()).isEqualTo(dispatch.sessionId().toString());
        assertThat(finished.checkpoint().lastLines()).contains("line 2 of 2",
                "worker shutting down: stopping the session to hand the attempt back");
        assertThat(process.isAlive()).isFalse();
        assertThat(tree).allMatch(ProcessTree::hasExited);
        assertThat(supervisor.runningAttempts()).isEmpty();
    }

    @Test
    void aDispatchAskingForAPermissionModeTheWorkerRefusesFailsWithoutStartingTheCli() {
        SessionSettings strict = settings(new CliOptions(settings.cli().executable(), 50, "acceptEdits", List.of(),
                List.of("acceptEdits", "plan")), settings.environment(), 10 * 1024 * 1024, Duration.ZERO);
        TaskDispatch dispatch = aDispatch().session(new Dispatches.Session(null, List.of(), List.of(), null,
                "bypassPermissions")).build();

        runAlone(dispatch, strict);

        SessionFinished finished = awaitFinished(dispatch);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(FailureCause.of(finished.outcome(), finished.result())).isEqualTo(FailureCause.SESSION_ERROR);
        assertThat(finished.reason()).isEqualTo("permission mode bypassPermissions is not allowed on this worker "
                + "(taskq.worker.claude.allowed-permission-modes: acceptEdits,plan)");
        assertThat(events).noneMatch(SessionStarted.class::isInstance);
        assertThat(argvLog()).doesNotExist();
    }

    @Test
    void aCommandTaskRunsItsArgvWithoutAShellAndSucceedsOnExitCodeZeroWithItsOutputTagged() {
        TaskDispatch dispatch = aDispatch().command(false, "sh", "-c", "echo out; echo err >&2; echo '$HOME stays literal'");

        assertThat(supervisor.admit(dispatch)).isEqualTo(Admission.STARTED);
        SessionFinished finished = awaitFinished(dispatch);

        assertThat(finished.outcome()).as(finished.reason()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(finished.exitCode()).isZero();
        assertThat(finished.result().resultText()).isEqualTo("exited with code 0");
        assertThat(finished.result().isError()).isFalse();
        assertThat(logOf(dispatch)).extracting(LogLine::kind, LogLine::text).contains(
                tuple(LogKind.STDOUT, "out"), tuple(LogKind.STDERR, "err"), tuple(LogKind.STDOUT, "$HOME stays literal"));
        assertThat(logLines(dispatch).getFirst()).contains("started command: sh -c echo out;");
        // The checkpoint has the directory and the last lines, and no session id: a command has none.
        assertThat(finished.checkpoint().sessionId()).isNull();
        assertThat(finished.checkpoint().lastLines()).contains("out", "err");
        assertThat(argvLog()).doesNotExist();
    }

    @Test
    void aCommandExitingNonZeroFailsWithTheCodeInItsResultAndReasonAndIsNotRetryable() {
        TaskDispatch dispatch = aDispatch().command(false, "sh", "-c", "echo 'tests: 3 failed' >&2; exit 3");

        supervisor.admit(dispatch);
        SessionFinished finished = awaitFinished(dispatch);

        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.exitCode()).isEqualTo(3);
        assertThat(finished.reason()).isEqualTo("exited with code 3: tests: 3 failed");
        assertThat(finished.result().resultText()).isEqualTo("exited with code 3");
        assertThat(FailureCause.of(finished.outcome(), finished.result())).isEqualTo(FailureCause.SESSION_ERROR);
    }

    @Test
    void aShellStringRunsUnderTheShellWhereThePolicyAllowsIt() {
        TaskDispatch dispatch = aDispatch().command(true, "for i in 1 2 3; do echo line $i; done | tail -n 1");

        supervisor.admit(dispatch);
        SessionFinished finished = awaitFinished(dispatch);

        assertThat(finished.outcome()).as(finished.reason()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(logOf(dispatch)).extracting(LogLine::kind, LogLine::text).contains(tuple(LogKind.STDOUT, "line 3"))
                .doesNotContain(tuple(LogKind.STDOUT, "line 1"));
    }

    @Test
    void aCommandRunningPastItsTimeoutIsKilledWithEveryDescendantAndTimesOut() {
        TaskDispatch dispatch = aDispatch().timeoutSeconds(1).command(false, "sh", "-c", "sleep 60 & sleep 60; wait");

        supervisor.admit(dispatch);
        SessionStarted started = awaitStartedEvent(dispatch);
        ProcessHandle root = ProcessHandle.of(started.pid()).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> root.descendants().count() >= 2);
        List<ProcessHandle> tree = root.descendants().toList();
        SessionFinished finished = awaitFinished(dispatch);

        assertThat(finished.outcome()).isEqualTo(SessionOutcome.TIMED_OUT);
        assertThat(finished.reason()).isEqualTo("timed out after 1s");
        assertThat(finished.result()).isNull();
        assertThat(root.isAlive()).isFalse();
        assertThat(tree).allMatch(ProcessTree::hasExited);
    }

    @Test
    void aCommandCancelledMidRunIsKilledWithItsSleepingGrandchildAndReportedCancelled() {
        TaskDispatch dispatch = aDispatch().command(false, "sh", "-c", "echo begun; sh -c 'sleep 120'");

        supervisor.admit(dispatch);
        SessionStarted started = awaitStartedEvent(dispatch);
        ProcessHandle root = ProcessHandle.of(started.pid()).orElseThrow();
        ProcessHandle sleeper = await().atMost(Duration.ofSeconds(10)).until(() -> root.descendants()
                .filter(process -> process.info().command().orElse("").endsWith("sleep")).findFirst().orElse(null),
                process -> process != null);
        supervisor.cancel(new WorkerCommand(WorkerCommand.Type.CANCEL, dispatch.taskId(), dispatch.attempt(), "not needed",
                Instant.now()));
        SessionFinished finished = awaitFinished(dispatch);

        assertThat(finished.outcome()).isEqualTo(SessionOutcome.CANCELLED);
        assertThat(finished.reason()).isEqualTo("cancelled: not needed");
        assertThat(root.isAlive()).isFalse();
        assertThat(ProcessTree.hasExited(sleeper)).isTrue();
        assertThat(logLines(dispatch)).contains("begun", "cancelled: killing the process tree");
    }

    @Test
    void aCommandsOutputPastTheAttemptsCapIsLeftOutAndItsExitCodeStillDecides() {
        SessionSettings capped = settings(settings.cli().executable(), "bypassPermissions", settings.environment(), 200);
        TaskDispatch dispatch = aDispatch().command(false, "seq", "1", "1000");
        ClaudeSession session = new ClaudeSession(dispatch, capped, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Executors.newSingleThreadScheduledExecutor());

        session.run();

        List<LogLine> output = logOf(dispatch).stream().filter(line -> line.kind() == LogKind.STDOUT).toList();
        assertThat(output).isNotEmpty().extracting(LogLine::text).contains("1").doesNotContain("1000");
        assertThat(output.stream().mapToLong(line -> line.text().length()).sum()).isLessThanOrEqualTo(200);
        assertThat(logLines(dispatch)).anyMatch(text -> text.startsWith("output left out:")
                && text.contains("past the cap of 200 bytes per attempt"));
        assertThat(awaitFinished(dispatch).outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
    }

    @Test
    void aCommandTheWorkersPolicyRefusesFailsWithoutRunningAnything() throws Exception {
        Path marker = temp.resolve("touched");
        TaskDispatch notAllowed = aDispatch().command(false, "touch", marker.toString());
        TaskDispatch relative = aDispatch().command(false, "./build.sh");
        SessionSettings noShell = settings(settings.cli(), settings.environment(), 10 * 1024 * 1024, Duration.ZERO,
                new CommandPolicy(true, Map.of("default", List.of("sh")), Set.of(), "taskq.worker.command-tasks"));
        TaskDispatch shell = aDispatch().command(true, "touch " + marker);

        supervisor.admit(notAllowed);
        supervisor.admit(relative);
        new ClaudeSession(shell, noShell, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Executors.newSingleThreadScheduledExecutor()).run();

        assertThat(awaitFinished(notAllowed).reason()).isEqualTo("command refused by this worker: command[0] 'touch' is not "
                + "an allowed executable in pool 'default'; allowed: echo, sh, sleep, seq, false "
                + "(taskq.worker.command-tasks.allowed-executables.default)");
        assertThat(awaitFinished(relative).reason()).contains("'./build.sh' must be a bare executable name");
        assertThat(awaitFinished(shell).reason()).isEqualTo("command refused by this worker: shell a shell string may not run "
                + "in pool 'default'; shell pools: none. Send command as an argv array instead "
                + "(taskq.worker.command-tasks.shell-pools)");
        for (TaskDispatch refused : List.of(notAllowed, relative, shell)) {
            SessionFinished finished = awaitFinished(refused);
            assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
            assertThat(FailureCause.of(finished.outcome(), finished.result())).isEqualTo(FailureCause.SESSION_ERROR);
            assertThat(events).noneMatch(event -> event instanceof SessionStarted && event.taskId().equals(refused.taskId()));
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void aWorkerWithCommandTasksOffRefusesEveryCommand() {
        SessionSettings off = settings(settings.cli(), settings.environment(), 10 * 1024 * 1024, Duration.ZERO,
                new CommandPolicy(false, Map.of("default", List.of("echo")), Set.of("default"), "taskq.worker.command-tasks"));
        TaskDispatch dispatch = aDispatch().command(false, "echo", "hi");

        new ClaudeSession(dispatch, off, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Executors.newSingleThreadScheduledExecutor()).run();

        SessionFinished finished = awaitFinished(dispatch);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.reason()).isEqualTo("command refused by this worker: kind command tasks are turned off here; "
                + "only claude tasks may run (taskq.worker.command-tasks.enabled)");
        assertThat(events).noneMatch(SessionStarted.class::isInstance);
    }

    @Test
    void aCommandGetsTheSessionsEnvironmentWithoutTheAnthropicCredentials() {
        Map<String, String> environment = new java.util.HashMap<>(settings.environment());
        environment.put("ANTHROPIC_API_KEY", "sk-ant-secret");
        environment.put("TASKQ_VISIBLE", "yes");
        SessionSettings withKey = settings(settings.cli(), environment, 10 * 1024 * 1024, Duration.ZERO);
        TaskDispatch dispatch = aDispatch().command(false, "sh", "-c", "echo key=${ANTHROPIC_API_KEY:-none} visible=$TASKQ_VISIBLE");

        new ClaudeSession(dispatch, withKey, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Executors.newSingleThreadScheduledExecutor()).run();

        assertThat(logLines(dispatch)).contains("key=none visible=yes");
    }

    @Test
    void aDispatchBreakingTheWorkersPolicyFailsWithoutStartingTheCliAndIsNotRetried() {
        SessionSettings strict = settings(settings.cli(), settings.environment(), 10 * 1024 * 1024, Duration.ZERO,
                new TaskPolicy(List.of("claude-sonnet-4-5"), List.of(), List.of("github.com"), 10, null, new BigDecimal("1")));
        TaskDispatch dispatch = aDispatch().model("claude-opus-4-1").maxTurns(11).build();

        runAlone(dispatch, strict);

        SessionFinished finished = awaitFinished(dispatch);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(FailureCause.of(finished.outcome(), finished.result()).retryable()).isFalse();
        assertThat(finished.reason()).startsWith("refused by this worker's policy (taskq.worker.policy): ")
                .contains("allowed-models: model 'claude-opus-4-1'").contains("max-turns: must be at most 10, got 11");
        assertThat(events).noneMatch(SessionStarted.class::isInstance);
        assertThat(argvLog()).doesNotExist();
    }

    /** Runs one session outside the supervisor, its events collected as the supervisor's are. */
    private void runAlone(TaskDispatch dispatch, SessionSettings sessionSettings) {
        new ClaudeSession(dispatch, sessionSettings, event -> {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }, Executors.newSingleThreadScheduledExecutor()).run();
    }

    private SessionSettings settings(String executable, String permissionMode, Map<String, String> environment) {
        return settings(executable, permissionMode, environment, 10 * 1024 * 1024);
    }

    private SessionSettings settings(String executable, String permissionMode, Map<String, String> environment,
            long logMaxBytesPerAttempt) {
        return settings(executable, permissionMode, environment, logMaxBytesPerAttempt, Duration.ZERO);
    }

    private SessionSettings settings(String executable, String permissionMode, Map<String, String> environment,
            long logMaxBytesPerAttempt, Duration checkpointInterval) {
        return settings(new CliOptions(executable, 50, permissionMode, List.of()), environment, logMaxBytesPerAttempt,
                checkpointInterval);
    }

    private SessionSettings settings(CliOptions cli, Map<String, String> environment, long logMaxBytesPerAttempt,
            Duration checkpointInterval) {
        return settings(cli, environment, logMaxBytesPerAttempt, checkpointInterval, TaskPolicy.OPEN);
    }

    private SessionSettings settings(CliOptions cli, Map<String, String> environment, long logMaxBytesPerAttempt,
            Duration checkpointInterval, TaskPolicy policy) {
        return settings(cli, environment, logMaxBytesPerAttempt, checkpointInterval,
                new CommandPolicy(true, Map.of("default", List.of("echo", "sh", "sleep", "seq", "false")), Set.of("default"),
                        "taskq.worker.command-tasks"), policy);
    }

    private SessionSettings settings(CliOptions cli, Map<String, String> environment, long logMaxBytesPerAttempt,
            Duration checkpointInterval, CommandPolicy commandPolicy) {
        return settings(cli, environment, logMaxBytesPerAttempt, checkpointInterval, commandPolicy, TaskPolicy.OPEN);
    }

    private SessionSettings settings(CliOptions cli, Map<String, String> environment, long logMaxBytesPerAttempt,
            Duration checkpointInterval, CommandPolicy commandPolicy, TaskPolicy policy) {
        return new SessionSettings(
                cli,
                environment,
                temp.resolve("work"),
                // Short: a killed fake's orphaned sleep may linger as a zombie until the grace ends.
                Duration.ofSeconds(1),
                100,
                Duration.ofMillis(100),
                2000,
                16000,
                logMaxBytesPerAttempt,
                new WorkerIdentity("worker-1", "host-1", false),
                Clock.systemUTC(),
                new SessionTranscripts(TranscriptPath.configDir(environment, temp.resolve("user-home").toString())),
                new CheckpointReader("git", environment, Duration.ofSeconds(5)),
                checkpointInterval,
                new SessionQuestions(),
                new Workspaces(new WorkspaceSettings(temp.resolve("work"), List.of(), "git", environment,
                        Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofHours(24), Duration.ZERO,
                        Duration.ofDays(7), "host-1", Clock.systemUTC())),
                commandPolicy,
                "/bin/sh",
                policy);
    }

    private List<SessionCheckpointed> checkpoints() {
        return events.stream().filter(SessionCheckpointed.class::isInstance).map(SessionCheckpointed.class::cast).toList();
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path argvLog() {
        return temp.resolve("claude-argv.log");
    }

    /** What the CLI leaves behind for a session run in {@code directory} (the fake CLI writes none itself). */
    private void writeTranscript(Path directory, UUID sessionId) throws Exception {
        Path transcript = TranscriptPath.transcript(settings.transcripts().configDir(), directory.toRealPath().toString(), sessionId);
        Files.createDirectories(transcript.getParent());
        Files.writeString(transcript, "{\"type\":\"user\"}\n");
    }

    private static TaskDispatch sleeper() {
        return aDispatch().prompt("busy [fake:sleep=30]").build();
    }

    private static AttemptRef ref(TaskDispatch dispatch) {
        return new AttemptRef(dispatch.taskId(), dispatch.attempt());
    }

    private static WorkerCommand cancel(TaskDispatch dispatch) {
        return new WorkerCommand(WorkerCommand.Type.CANCEL, dispatch.taskId(), dispatch.attempt(), "test", Instant.now());
    }

    private void awaitStarted(TaskDispatch dispatch) {
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                .anyMatch(event -> event instanceof SessionStarted && event.taskId().equals(dispatch.taskId())));
    }

    private SessionFinished awaitFinished(TaskDispatch dispatch) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                .filter(event -> event instanceof SessionFinished && event.taskId().equals(dispatch.taskId()))
                .map(SessionFinished.class::cast).findFirst().orElse(null), finished -> finished != null);
    }

    private SessionStarted awaitStartedEvent(TaskDispatch dispatch) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                .filter(event -> event instanceof SessionStarted && event.taskId().equals(dispatch.taskId()))
                .map(SessionStarted.class::cast).findFirst().orElse(null), started -> started != null);
    }

    private List<LogLine> logOf(TaskDispatch dispatch) {
        return events.stream()
                .filter(event -> event instanceof SessionLog && event.taskId().equals(dispatch.taskId()))
                .flatMap(event -> ((SessionLog) event).lines().stream())
                .toList();
    }

    private List<String> logLines(TaskDispatch dispatch) {
        return events.stream()
                .filter(event -> event instanceof SessionLog && event.taskId().equals(dispatch.taskId()))
                .flatMap(event -> ((SessionLog) event).lines().stream())
                .map(LogLine::text)
                .toList();
    }
}
