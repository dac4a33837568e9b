package dev.taskq.worker.health;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.worker.WorkerLifecycle;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.messaging.FakeClaudeResource;
import dev.taskq.worker.messaging.KafkaProbe;
import dev.taskq.worker.session.ProcessTree;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker that drains (as on SIGTERM) leaves the load balancer at once, lets a session that ends within the grace
 * end as usual, and hands back the one that does not: stopped, checkpointed and reported DRAINED.
 */
@QuarkusTest
@TestProfile(WorkerDrainIT.OwnApplication.class)
@QuarkusTestResource(KafkaTestResource.class)
class WorkerDrainIT {

    private static final Duration SOON = Duration.ofSeconds(20);

    /** Draining stops this application's loops for good, so it gets an application of its own. */
    public static class OwnApplication implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            // Room for the short session to end within the grace even on a busy machine.
            return Map.of("taskq.worker.shutdown-grace", "5s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeClaudeResource.class));
        }
    }

    @Inject
    WorkerLifecycle lifecycle;

    @Inject
    TopicNames topics;

    @Inject
    WorkerIdentity identity;

    @Test
    void aDrainingWorkerGoesUnreadyFinishesShortSessionsAndHandsBackTheRestWithTheirCheckpoints() throws Exception {
        await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("taskq_worker_slots{pool=\"default\",state=\"free\"} 2.0"))
                .body(containsString("taskq_worker_draining 0.0"));
        TaskDispatch brief = aDispatch().prompt("nearly done [fake:sleep=2]").build();
        TaskDispatch endless = aDispatch().prompt("long haul [fake:lines=2] [fake:sleep=120]").build();

        try (KafkaProbe probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics)) {
            probe.dispatch(brief);
            probe.dispatch(endless);
            probe.awaitStarted(brief.taskId(), 1, SOON);
            List<ProcessHandle> tree = processTreeWithChild(probe.awaitStarted(endless.taskId(), 1, SOON));

            CompletableFuture<Void> draining = CompletableFuture.runAsync(lifecycle::drain);

            await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'worker' }.data.shuttingDown", equalTo(true)));
            given().get("/q/health/live").then().statusCode(200);
            given().get("/q/metrics").then().body(containsString("taskq_worker_draining 1.0"));
            draining.get(60, TimeUnit.SECONDS);

            SessionFinished finishedInTime = probe.awaitFinished(brief.taskId(), 1, SOON);
            assertThat(finishedInTime.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
            assertThat(finishedInTime.failureCause()).isNull();

            // Acknowledged by Kafka before drain() returned; the probe only has to read it.
            SessionFinished handedBack = probe.awaitFinished(endless.taskId(), 1, SOON);
            assertThat(handedBack.outcome()).isEqualTo(SessionOutcome.FAILED);
            assertThat(handedBack.failureCause()).isEqualTo(FailureCause.DRAINED);
            assertThat(handedBack.reason()).isEqualTo("worker " + identity.workerId() + " shut down; handed back after "
                    + "the 5s shutdown grace (taskq.worker.shutdown-grace): the session was stopped and checkpointed, "
                    + "to be picked up by another worker");
            assertThat(handedBack.result()).isNull();
            assertThat(handedBack.question()).isNull();
            assertThat(handedBack.checkpoint().sessionId()).isEqualTo(endless.sessionId().toString());
            assertThat(handedBack.checkpoint().workingDir()).endsWith(endless.taskId() + "-1");
            assertThat(handedBack.checkpoint().lastLines()).contains("ok", "line 1 of 2", "line 2 of 2",
                    "worker shutting down: stopping the session to hand the attempt back");
            assertThat(handedBack.checkpoint().takenAt()).isAfterOrEqualTo(finishedInTime.at());
            assertThat(tree).allMatch(ProcessTree::hasExited);
        }
    }

    /** The session's process and the sleep it runs, once the sleep has started. */
    private static List<ProcessHandle> processTreeWithChild(SessionStarted started) {
        ProcessHandle session = ProcessHandle.of(started.pid()).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.descendants().findAny().isPresent());
        List<ProcessHandle> tree = new ArrayList<>(session.descendants().toList());
        tree.add(session);
        return tree;
    }
}
