package dev.taskq.worker.messaging;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.SessionCheckpointed;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.TaskEvent;
import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.domain.Dispatches.Session;
import dev.taskq.worker.domain.SessionMcpConfig;
import dev.taskq.worker.session.ProcessTree;
import dev.taskq.worker.session.ResourceMonitor;
import dev.taskq.worker.session.SessionQuestions;
import dev.taskq.worker.session.SessionSupervisor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = FakeClaudeResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SimulatedHost.class, restrictToAnnotatedClass = true)
class SessionLifecycleIT {

    private static final Duration SOON = Duration.ofSeconds(20);
    private static KafkaProbe probe;

    @Inject
    TopicNames topics;

    @Inject
    SessionSupervisor supervisor;

    @Inject
    WorkerIdentity identity;

    @Inject
    DispatchIntake intake;

    @Inject
    ResourceMonitor resources;

    @Inject
    SessionQuestions questions;

    @BeforeEach
    void workerIsReadyAndIdle() {
        if (probe == null) {
            probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics);
        }
        await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        await().atMost(SOON).until(() -> supervisor.freeSlots() == supervisor.slots());
    }

    @AfterAll
    static void closeProbe() throws InterruptedException {
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }

    @Test
    void aDispatchedTaskRunsToSuccessWithItsLogsAndResult() {
        TaskDispatch dispatch = aDispatch().prompt("say hello [fake:lines=2]").build();

        probe.dispatch(dispatch);

        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, SOON);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(finished.reason()).isNull();
        assertThat(finished.exitCode()).isZero();
        assertThat(finished.workerId()).isEqualTo(identity.workerId());
        assertThat(finished.result().sessionId()).isEqualTo(dispatch.sessionId().toString());
        assertThat(finished.result().resultText()).isEqualTo("ok");

        List<TaskEvent> events = probe.events(dispatch.taskId(), 1);
        assertThat(events.getFirst()).isInstanceOf(SessionStarted.class);
        assertThat(events.getLast()).isSameAs(finished);
        // Logs in between, and a checkpoint if the session outlived the checkpoint interval.
        assertThat(events.subList(1, events.size() - 1)).isNotEmpty()
                .allMatch(event -> event instanceof SessionLog || event instanceof SessionCheckpointed)
                .anyMatch(SessionLog.class::isInstance);
        assertThat(events).extracting(TaskEvent::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        SessionStarted started = (SessionStarted) events.getFirst();
        assertThat(started.pid()).isPositive();
        assertThat(started.sessionId()).isEqualTo(dispatch.sessionId());
        assertThat(started.host()).isEqualTo(identity.host());

        List<LogLine> lines = logLines(events);
        assertThat(lines).extracting(LogLine::lineNumber)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, lines.size()).boxed().toList());
        assertThat(lines).extracting(LogLine::kind).contains(LogKind.WORKER, LogKind.SYSTEM, LogKind.ASSISTANT, LogKind.RESULT);
        assertThat(lines).filteredOn(line -> line.kind() == LogKind.ASSISTANT).extracting(LogLine::text)
                .containsExactly("ok", "line 1 of 2", "line 2 of 2");
        assertThat(lines).filteredOn(line -> line.kind() == LogKind.SYSTEM).first().extracting(LogLine::text)
                .asString().startsWith("session " + dispatch.sessionId() + " started");
    }

    @Test
    void aFailingSessionIsReportedFailedWithTheReason() {
        TaskDispatch dispatch = aDispatch().prompt("break [fake:fail]").build();

        probe.dispatch(dispatch);

        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, SOON);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.reason()).isEqualTo("API Error: 500 fake failure");
        assertThat(finished.exitCode()).isEqualTo(1);
        assertThat(finished.result().apiErrorStatus()).isEqualTo(500);
    }

    @Test
    void aMissingWorkingDirectoryFailsTheAttemptWithoutStartingIt() {
        TaskDispatch dispatch = aDispatch().workingDir("/nonexistent/taskq/dir").build();

        probe.dispatch(dispatch);

        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, SOON);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.reason()).isEqualTo(
                "working directory /nonexistent/taskq/dir does not exist on host " + identity.host());
        assertThat(probe.started(dispatch.taskId(), 1)).isEmpty();
    }

    @Test
    void aCancelledSessionLeavesNoProcessBehind() {
        TaskDispatch dispatch = aDispatch().prompt("wait [fake:sleep=30]").build();
        probe.dispatch(dispatch);
        SessionStarted started = probe.awaitStarted(dispatch.taskId(), 1, SOON);
        List<ProcessHandle> tree = processTreeWithChild(started.pid());

        probe.cancel(dispatch.taskId(), 1, "no longer needed");

        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, Duration.ofSeconds(10));
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.CANCELLED);
        assertThat(finished.reason()).isEqualTo("cancelled: no longer needed");
        assertThat(Duration.between(started.at(), finished.at())).isLessThan(Duration.ofSeconds(10));
        assertThat(tree).allMatch(ProcessTree::hasExited);
    }

    @Test
    void aSessionPastItsTimeoutIsKilledAndReportedTimedOut() {
        TaskDispatch dispatch = aDispatch().prompt("wait [fake:sleep=30]").timeoutSeconds(1).build();
        probe.dispatch(dispatch);
        SessionStarted started = probe.awaitStarted(dispatch.taskId(), 1, SOON);
        List<ProcessHandle> tree = processTreeWithChild(started.pid());

        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, Duration.ofSeconds(10));

        assertThat(finished.outcome()).isEqualTo(SessionOutcome.TIMED_OUT);
        assertThat(finished.reason()).isEqualTo("timed out after 1s");
        assertThat(finished.result()).isNull();
        assertThat(tree).allMatch(ProcessTree::hasExited);
        assertThat(logLines(probe.events(dispatch.taskId(), 1))).extracting(LogLine::text)
                .contains("timed out after 1s: killing the process tree");
    }

    @Test
    void aWorkerWithTwoSlotsRunsOnlyTwoSessionsUntilOneFinishes() {
        List<TaskDispatch> dispatches = threeLongSessions();
        dispatches.forEach(probe::dispatch);

        await().atMost(SOON).until(() -> startedOf(dispatches).size() == 2);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> startedOf(dispatches).size() == 2);
        List<TaskDispatch> running = startedOf(dispatches);
        assertThat(latestHeartbeat().busySlots()).isEqualTo(2);
        assertThat(latestHeartbeat().running()).containsExactlyInAnyOrderElementsOf(
                running.stream().map(d -> new AttemptRef(d.taskId(), 1)).toList());

        probe.cancel(running.getFirst().taskId(), 1, "make room");

        SessionFinished freed = probe.awaitFinished(running.getFirst().taskId(), 1, SOON);
        TaskDispatch waiting = dispatches.stream().filter(d -> !running.contains(d)).findFirst().orElseThrow();
        SessionStarted third = probe.awaitStarted(waiting.taskId(), 1, SOON);
        assertThat(third.at()).isAfterOrEqualTo(freed.at());

        dispatches.forEach(d -> probe.cancel(d.taskId(), 1, "test over"));
        dispatches.forEach(d -> probe.awaitFinished(d.taskId(), 1, SOON));
    }

    @Test
    void aP0ReleasedWhileTheWorkerIsFullTakesTheNextFreeSlotBeforeALowerClassFetchedEarlier() {
        // The P0 topic read and assigned first, so what follows waits on slots only, not on a topic appearing.
        TaskDispatch first = aDispatch().prompt("warm up").build();
        probe.dispatch(PriorityClass.P0, first);
        probe.awaitFinished(first.taskId(), 1, Duration.ofSeconds(60));

        // Two slots, three P2 dispatches sent together: two start, the third is fetched with them and held back.
        List<TaskDispatch> lower = threeLongSessions();
        lower.forEach(probe::dispatch);
        await().atMost(SOON).until(() -> startedOf(lower).size() == 2);
        List<TaskDispatch> running = startedOf(lower);
        TaskDispatch heldBack = lower.stream().filter(d -> !running.contains(d)).findFirst().orElseThrow();
        TaskDispatch urgent = aDispatch().prompt("urgent [fake:sleep=30]").build();
        probe.dispatch(PriorityClass.P0, urgent);

        probe.cancel(running.getFirst().taskId(), 1, "make room");

        probe.awaitStarted(urgent.taskId(), 1, SOON);
        assertThat(probe.started(heldBack.taskId(), 1)).isEmpty();

        // The held-back dispatch, cancelled before it started, is never run and so reports nothing.
        List.of(running.get(1), heldBack, urgent).forEach(d -> probe.cancel(d.taskId(), 1, "test over"));
        List.of(running.getFirst(), running.get(1), urgent).forEach(d -> probe.awaitFinished(d.taskId(), 1, SOON));
    }

    @Test
    void aClosedResourceGateLetsAnIdleWorkerStartOneSessionAndHoldsTheNextUntilTheHostRecovers() {
        List<TaskDispatch> dispatches = List.of(
                aDispatch().prompt("a [fake:sleep=30]").build(),
                aDispatch().prompt("b [fake:sleep=30]").build());
        try {
            SimulatedHost.shortOfMemory();
            await().atMost(SOON).until(() -> !resources.isOpen());

            dispatches.forEach(probe::dispatch);

            // Nothing ran, so one session starts whatever the readings; the second waits although a slot is free.
            await().atMost(SOON).until(() -> startedOf(dispatches).size() == 1);
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> startedOf(dispatches).size() == 1);
            assertThat(supervisor.freeSlots()).isEqualTo(1);
            WorkerHeartbeat.Resources reported = await().atMost(SOON).until(this::latestResources,
                    readings -> readings != null && Boolean.FALSE.equals(readings.gateOpen()));
            assertThat(reported.memoryAvailableBytes()).isEqualTo(256L * 1024 * 1024);
            assertThat(reported.memoryTotalBytes()).isEqualTo(8192L * 1024 * 1024);
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("taskq_worker_gate_open 0.0"))
                    .body(containsString("taskq_worker_memory_available_bytes 2.68435456E8"));

            SimulatedHost.roomy();

            await().atMost(SOON).until(() -> startedOf(dispatches).size() == 2);
            await().atMost(SOON).until(this::latestResources, readings -> Boolean.TRUE.equals(readings.gateOpen()));
        } finally {
            SimulatedHost.roomy();
            dispatches.forEach(d -> probe.cancel(d.taskId(), 1, "test over"));
            dispatches.forEach(d -> probe.awaitFinished(d.taskId(), 1, SOON));
        }
    }

    @Test
    void aRedeliveredDispatchIsNotRunTwice() {
        TaskDispatch first = aDispatch().prompt("once").build();
        TaskDispatch next = TaskDispatch.ofClaude(first.taskId(), 2, 5, "default", "twice", null, 60, null, null,
                UUID.randomUUID(), Map.of(), first.readyAt(), first.dispatchedAt(), null, null, null, null, null, null, null, null, null, null);

        probe.dispatch(first);
        probe.dispatch(first);
        // Same key, same partition: once attempt 2 has finished, the duplicate before it has been read.
        probe.dispatch(next);

        probe.awaitFinished(next.taskId(), 2, SOON);
        probe.awaitFinished(first.taskId(), 1, SOON);
        assertThat(probe.events(first.taskId(), 1)).filteredOn(SessionStarted.class::isInstance).hasSize(1);
        assertThat(probe.events(first.taskId(), 1)).filteredOn(SessionFinished.class::isInstance).hasSize(1);
    }

    @Test
    void aDispatchArrivingAfterItsCancelIsNeverStarted() {
        TaskDispatch cancelled = aDispatch().prompt("too late").build();
        TaskDispatch marker = TaskDispatch.ofClaude(cancelled.taskId(), 2, 5, "default", "marker", null, 60, null, null,
                UUID.randomUUID(), Map.of(), cancelled.readyAt(), cancelled.dispatchedAt(), null, null, null, null, null, null, null, null, null, null);
        probe.cancel(cancelled.taskId(), 1, "cancelled while queued");
        await().atMost(SOON).until(() -> supervisor.wasCancelled(new AttemptRef(cancelled.taskId(), 1)));

        probe.dispatch(cancelled);
        probe.dispatch(marker);

        probe.awaitFinished(marker.taskId(), 2, SOON);
        assertThat(probe.events(cancelled.taskId(), 1)).isEmpty();
    }

    @Test
    void aWorkerLeavesAloneThePoolsItDoesNotServe() {
        TaskDispatch forGpu = aDispatch().build();
        TaskDispatch marker = aDispatch().build();

        probe.dispatchToPool("gpu", forGpu);
        probe.dispatch(marker);

        probe.awaitFinished(marker.taskId(), 1, SOON);
        assertThat(probe.events(forGpu.taskId(), 1)).isEmpty();
        assertThat(intake.subscription()).containsExactlyElementsOf(topics.dispatchTopicsByPriority(TopicNames.DEFAULT_POOL));
        assertThat(probe.heartbeats()).filteredOn(beat -> beat.workerId().equals(identity.workerId()))
                .isNotEmpty().allSatisfy(beat -> assertThat(beat.pools()).containsExactly(TopicNames.DEFAULT_POOL));
    }

    @Test
    void aRunningSessionPublishesCheckpointsWithItsSessionIdAndLastLines() {
        TaskDispatch dispatch = aDispatch().prompt("think [fake:lines=3] [fake:sleep=30]").build();
        probe.dispatch(dispatch);
        probe.awaitStarted(dispatch.taskId(), 1, SOON);
        try {
            // The interval is 1s in tests: two checkpoints, the later one after the fake wrote its lines.
            await().atMost(SOON).until(() -> checkpoints(dispatch).size() >= 2
                    && checkpoints(dispatch).getLast().checkpoint().lastLines().contains("line 3 of 3"));
        } finally {
            probe.cancel(dispatch.taskId(), 1, "test over");
        }
        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, SOON);

        List<SessionCheckpointed> checkpoints = checkpoints(dispatch);
        assertThat(checkpoints).allSatisfy(event -> {
            assertThat(event.workerId()).isEqualTo(identity.workerId());
            assertThat(event.checkpoint().sessionId()).isEqualTo(dispatch.sessionId().toString());
            assertThat(event.checkpoint().workingDir()).endsWith(dispatch.taskId() + "-1");
            assertThat(event.checkpoint().costUsd()).isNull();
            assertThat(event.checkpoint().takenAt()).isNotNull();
        });
        assertThat(checkpoints.getLast().checkpoint().lastLines())
                .containsSubsequence("ok", "line 1 of 3", "line 2 of 3", "line 3 of 3");
        assertThat(checkpoints).extracting(event -> event.checkpoint().takenAt()).isSorted();
        List<TaskEvent> events = probe.events(dispatch.taskId(), 1);
        assertThat(events.getLast()).isSameAs(finished);
        assertThat(events).extracting(TaskEvent::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        // The final checkpoint carries the session's part too, up to the worker's last line.
        assertThat(finished.checkpoint().sessionId()).isEqualTo(dispatch.sessionId().toString());
        assertThat(finished.checkpoint().lastLines()).contains("line 3 of 3").last().asString()
                .startsWith("CANCELLED: cancelled: test over");
    }

    @Test
    void aDispatchAskingForAPermissionModeThisWorkerRefusesFailsWithoutStartingTheCli() {
        // %test allows every mode the CLI knows but auto.
        TaskDispatch dispatch = aDispatch().session(new Session(null, List.of(), List.of(), null, "auto")).build();

        probe.dispatch(dispatch);

        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, SOON);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(FailureCause.of(finished.outcome(), finished.result())).isEqualTo(FailureCause.SESSION_ERROR);
        assertThat(finished.reason()).isEqualTo("permission mode auto is not allowed on this worker "
                + "(taskq.worker.claude.allowed-permission-modes: default,acceptEdits,plan,dontAsk,bypassPermissions)");
        assertThat(probe.started(dispatch.taskId(), 1)).isEmpty();
    }

    @Test
    void sessionsAreOfferedTheMcpEndpointOfThisWorkersOwnHttpServer() {
        SessionMcpConfig endpoint = questions.endpoint().orElseThrow();

        assertThat(endpoint.url()).isEqualTo("http://127.0.0.1:" + RestAssured.port + "/session-mcp");
    }

    @Test
    void theMcpEndpointAnswersOnlyTheTokenOfAnAttemptRunningHere() {
        String initialize = """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}""";
        SessionQuestions.Channel channel = questions.open(new AttemptRef(UUID.randomUUID(), 1));
        try {
            given().contentType("application/json").body(initialize).post("/session-mcp").then().statusCode(401);
            given().contentType("application/json").header("Authorization", "Bearer not-a-token").body(initialize)
                    .post("/session-mcp").then().statusCode(401);
            given().contentType("application/json").accept("application/json, text/event-stream")
                    .header("Authorization", "Bearer " + channel.token()).body(initialize)
                    .post("/session-mcp").then().statusCode(200).contentType("application/json")
                    .body("result.protocolVersion", equalTo("2025-11-25"));
            given().contentType("application/json").header("Authorization", "Bearer " + channel.token())
                    .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                    .post("/session-mcp").then().statusCode(202);
            given().contentType("application/json").header("Authorization", "Bearer " + channel.token())
                    .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"AskHuman\","
                            + "\"arguments\":{\"question\":\"Which port?\"}}}")
                    .post("/session-mcp").then().statusCode(200).body("result.isError", equalTo(false));
            assertThat(channel.question()).isEqualTo("Which port?");
            given().header("Authorization", "Bearer " + channel.token()).get("/session-mcp").then().statusCode(405);
            given().contentType("application/json").header("Authorization", "Bearer " + channel.token())
                    .header("Origin", "https://evil.example").body(initialize).post("/session-mcp").then().statusCode(403);
        } finally {
            questions.close(channel);
        }
        given().contentType("application/json").header("Authorization", "Bearer " + channel.token()).body(initialize)
                .post("/session-mcp").then().statusCode(401);
    }

    @Test
    void theWorkerIsReadyAndSaysSo() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'worker' }.data.slots", equalTo(2));
    }

    private static List<SessionCheckpointed> checkpoints(TaskDispatch dispatch) {
        return probe.events(dispatch.taskId(), 1).stream()
                .filter(SessionCheckpointed.class::isInstance).map(SessionCheckpointed.class::cast).toList();
    }

    private List<TaskDispatch> startedOf(List<TaskDispatch> dispatches) {
        return dispatches.stream().filter(d -> probe.started(d.taskId(), 1).isPresent()).toList();
    }

    private WorkerHeartbeat latestHeartbeat() {
        return await().atMost(SOON).until(
                () -> probe.heartbeats().stream()
                        .filter(beat -> beat.workerId().equals(identity.workerId()))
                        .reduce((older, newer) -> newer)
                        .orElse(null),
                beat -> beat != null && beat.busySlots() == 2);
    }

    private WorkerHeartbeat.Resources latestResources() {
        return probe.heartbeats().stream()
                .filter(beat -> beat.workerId().equals(identity.workerId()))
                .reduce((older, newer) -> newer)
                .map(WorkerHeartbeat::resources)
                .orElse(null);
    }

    /** The session's process and the sleep it runs, once the sleep has started. */
    private static List<ProcessHandle> processTreeWithChild(long pid) {
        ProcessHandle session = ProcessHandle.of(pid).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.descendants().findAny().isPresent());
        List<ProcessHandle> tree = new ArrayList<>(session.descendants().toList());
        tree.add(session);
        return tree;
    }

    private static List<LogLine> logLines(List<TaskEvent> events) {
        return events.stream()
                .filter(SessionLog.class::isInstance)
                .flatMap(event -> ((SessionLog) event).lines().stream())
                .toList();
    }

    /** Three dispatches of 30 s sessions: one more than the worker's two slots. */
    private static List<TaskDispatch> threeLongSessions() {
        return List.of(
                aDispatch().prompt("a [fake:sleep=30]").build(),
                aDispatch().prompt("b [fake:sleep=30]").build(),
                aDispatch().prompt("c [fake:sleep=30]").build());
    }
}
