package dev.taskq.worker.messaging;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker serving pools other than the default one, with a known id that direct dispatches can target. */
@QuarkusTest
@TestProfile(PoolsAndDirectDispatchIT.GpuWorker.class)
@QuarkusTestResource(KafkaTestResource.class)
class PoolsAndDirectDispatchIT {

    static final String WORKER_ID = "gpu-worker-1";
    private static final Duration SOON = Duration.ofSeconds(20);
    private static KafkaProbe probe;

    /** Serves gpu and vision (a pool no other test publishes to, so only this worker can have created its topics). */
    public static class GpuWorker implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of(
                        "taskq.worker.id", WORKER_ID,
                        "taskq.worker.pools", "gpu,vision",
                        // Not the broker's default of 4, to tell the worker's topics from auto-created ones.
                        "taskq.worker.topics.partitions", "3",
                        "taskq.worker.claude.extra-env.HOME", Files.createTempDirectory("taskq-gpu-home-").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeClaudeResource.class));
        }
    }

    @Inject
    TopicNames topics;

    @Inject
    DispatchIntake intake;

    @BeforeEach
    void workerIsReady() {
        if (probe == null) {
            probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics);
        }
        await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterAll
    static void closeProbe() throws InterruptedException {
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }

    @Test
    void aWorkerServingGpuRunsWhatIsDispatchedToTheGpuPoolAndSaysWhichPoolsItServes() {
        TaskDispatch dispatch = aDispatch().prompt("render [fake:lines=1]").build();

        probe.dispatchToPool("gpu", dispatch);

        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, SOON);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(finished.workerId()).isEqualTo(WORKER_ID);
        assertThat(intake.subscription()).containsExactlyInAnyOrderElementsOf(
                concat(topics.dispatchTopicsByPriority("gpu"), topics.dispatchTopicsByPriority("vision")));
        WorkerHeartbeat beat = await().atMost(SOON).until(() -> probe.heartbeats().stream()
                .filter(heartbeat -> heartbeat.workerId().equals(WORKER_ID)).findFirst().orElse(null), b -> b != null);
        assertThat(beat.pools()).containsExactly("gpu", "vision");
    }

    @Test
    void theWorkerCreatedItsPoolsTopicsAtStartup() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers()))) {
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics.dispatchTopicsByPriority("vision")).allTopicNames().get();

            assertThat(described.values()).hasSize(4).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
        }
    }

    @Test
    void aDirectDispatchRunsOnlyOnTheWorkerItTargets() {
        UUID taskId = UUID.randomUUID();
        TaskDispatch forAnother = aDispatch().taskId(taskId).attempt(1).forWorker("some-other-worker").build();
        TaskDispatch forThis = aDispatch().taskId(taskId).attempt(2).forWorker(WORKER_ID).build();

        probe.dispatchDirect(forAnother);
        // Same key, same partition: once attempt 2 has finished, attempt 1 has been read.
        probe.dispatchDirect(forThis);

        assertThat(probe.awaitFinished(taskId, 2, SOON).outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(probe.events(taskId, 1)).isEmpty();
    }

    @Test
    void aResumeOfASessionThisWorkerDoesNotHoldFailsRetryablyWithoutStarting() {
        UUID unknownSession = UUID.randomUUID();
        TaskDispatch resume = aDispatch().prompt("carry on").resuming(unknownSession).forWorker(WORKER_ID).build();

        probe.dispatchDirect(resume);

        SessionFinished finished = probe.awaitFinished(resume.taskId(), 1, SOON);
        assertThat(finished.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(finished.reason()).isEqualTo("session " + unknownSession + " is not on worker " + WORKER_ID);
        assertThat(finished.failureCause()).isEqualTo(FailureCause.SESSION_UNAVAILABLE);
        assertThat(probe.started(resume.taskId(), 1)).isEmpty();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
