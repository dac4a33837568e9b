package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.json.EventJson;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class ReleaseIT {

    private static final Logger LOG = Logger.getLogger(ReleaseIT.class);

    @Inject
    ReleaseService releaseService;

    private KafkaProbe p0;
    private KafkaProbe p2;

    @BeforeEach
    void openProbes() {
        p0 = KafkaProbe.on(TOPICS.dispatch(PriorityClass.P0));
        p2 = KafkaProbe.on(TOPICS.dispatch(PriorityClass.P2));
    }

    @AfterEach
    void closeProbes() {
        p0.close();
        p2.close();
    }

    @Test
    void aQueuedTaskIsReleasedOnceAsAttemptOneOnTheTopicOfItsPriorityClass() {
        NewTask task = NewTask.queued();
        TaskRows.insert(task);

        await().untilAsserted(() -> assertThat(p2.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).hasSize(1));
        // Longer than the release interval, so a second pass would have had its chance to dispatch it again.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(p2.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).hasSize(1));

        TaskDispatch dispatch = p2.values(TaskDispatch.class, d -> d.taskId().equals(task.id())).getFirst();
        assertThat(dispatch.attempt()).isEqualTo(1);
        assertThat(dispatch.prompt()).isEqualTo("say hello");
        assertThat(dispatch.priority()).isEqualTo(5);
        assertThat(dispatch.metadata()).containsEntry("origin", "test");
        assertThat(dispatch.readyAt()).isNotNull();
        TaskRows.TaskRow row = TaskRows.task(task.id());
        assertThat(row.status()).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(row.currentAttempt()).isEqualTo(1);
        assertThat(row.sessionId()).isEqualTo(dispatch.sessionId());
        assertThat(TaskRows.attempts(task.id())).singleElement().satisfies(attempt -> {
            assertThat(attempt.attempt()).isEqualTo(1);
            assertThat(attempt.status()).isEqualTo(TaskStatus.DISPATCHED);
        });
    }

    @Test
    void aP0TaskLandsOnTheP0Topic() {
        NewTask task = NewTask.queued().priority(10);
        TaskRows.insert(task);

        await().untilAsserted(() -> assertThat(p0.values(TaskDispatch.class, d -> d.taskId().equals(task.id())))
                .singleElement()
                .satisfies(dispatch -> assertThat(dispatch.priority()).isEqualTo(10)));
        assertThat(p2.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).isEmpty();
    }

    @Test
    void tasksQueuedOneAfterAnotherEachReachTheDispatchTopicAsTheirFirstAttempt() {
        String topic = TOPICS.dispatch(PriorityClass.P1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            List<Long> micros = new ArrayList<>();
            List<Long> releaseMicros = new ArrayList<>();
            List<Long> publishMicros = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                NewTask task = NewTask.queued().priority(7);
                long start = System.nanoTime();
                TaskRows.insert(task);
                TaskDispatch dispatch = awaitDispatch(consumer, task.id());
                assertThat(dispatch.attempt()).isEqualTo(1);
                micros.add((System.nanoTime() - start) / 1_000);
                Instant arrived = Instant.now();
                releaseMicros.add(Duration.between(dispatch.readyAt(), dispatch.dispatchedAt()).toNanos() / 1_000);
                publishMicros.add(Duration.between(dispatch.dispatchedAt(), arrived).toNanos() / 1_000);
            }
            LOG.infof("Median ready->dispatched (release) %.1f ms, dispatched->consumed (commit, relay, Kafka) %.1f ms",
                    median(releaseMicros) / 1000.0, median(publishMicros) / 1000.0);
            List<Long> sorted = micros.stream().sorted().toList();
            long p50 = sorted.get(sorted.size() / 2);
            long p90 = sorted.get(sorted.size() * 9 / 10);
            LOG.infof("Submit-to-dispatch-record latency over %d tasks: p50 %.1f ms, p90 %.1f ms, max %.1f ms",
                    sorted.size(), p50 / 1000.0, p90 / 1000.0, sorted.getLast() / 1000.0);
            // Informational only: latency is measured by scripts/benchmark.sh, never asserted in a test.
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static TaskDispatch awaitDispatch(KafkaConsumer<String, byte[]> consumer, UUID taskId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                if (record.key().equals(taskId.toString())) {
                    return EventJson.fromBytes(record.value(), TaskDispatch.class);
                }
            }
        }
        throw new AssertionError("no dispatch of " + taskId + " within 10 s");
    }

    @Test
    void twoConcurrentReleasersDispatchEachTaskOfABacklogOfThreeHundredExactlyOnce() throws Exception {
        List<NewTask> backlog = IntStream.range(0, 300).mapToObj(i -> NewTask.queued()).toList();
        Set<UUID> ids = backlog.stream().map(NewTask::id).collect(Collectors.toSet());
        // No NOTIFY: the two releasers below race each other (and the service's own loop on its next tick).
        TaskRows.insert(backlog, false);

        ExecutorService releasers = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> drain = () -> {
                int total = 0;
                int released;
                do {
                    released = releaseService.releaseBatch(25);
                    total += released;
                } while (released > 0);
                return total;
            };
            List<Future<Integer>> results = new ArrayList<>(List.of(releasers.submit(drain), releasers.submit(drain)));
            for (Future<Integer> result : results) {
                result.get();
            }
        } finally {
            releasers.shutdown();
        }

        String[] idArray = ids.stream().map(UUID::toString).toArray(String[]::new);
        // A releaser stops when all that is left is locked by another; the service's own loop may hold the last batch.
        await().until(() -> TestDatabase.count(
                "select count(*) from tasks where id = any(?::uuid[]) and status = 'DISPATCHED' and current_attempt = 1",
                (Object) idArray) == 300);
        assertThat(TestDatabase.count("select count(*) from task_attempts where task_id = any(?::uuid[])", (Object) idArray)).isEqualTo(300);
        assertThat(TestDatabase.count("select count(*) from task_attempts where task_id = any(?::uuid[]) and attempt = 1", (Object) idArray)).isEqualTo(300);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(p2.values(TaskDispatch.class, d -> ids.contains(d.taskId()))).hasSize(300));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            List<TaskDispatch> dispatched = p2.values(TaskDispatch.class, d -> ids.contains(d.taskId()));
            assertThat(dispatched).hasSize(300);
            assertThat(dispatched.stream().map(TaskDispatch::taskId).distinct()).hasSize(300);
            assertThat(dispatched).allSatisfy(d -> assertThat(d.attempt()).isEqualTo(1));
        });
    }
}
