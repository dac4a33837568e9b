package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.domain.DefaultAgentRoles;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskKind;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.json.EventJson;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.dependency.testing.Workers;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.postgresql.util.PGobject;
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
    void theDispatchCarriesTheTasksSessionSettings() throws SQLException {
        // Nothing releases a WAITING task, so the settings are all in place before it becomes QUEUED.
        NewTask task = NewTask.queued().status(TaskStatus.WAITING);
        TaskRows.insert(task);
        TaskRows.set(task.id(), "max_budget_usd", new BigDecimal("3.5"));
        TaskRows.set(task.id(), "allowed_tools", jsonb("[\"Bash(git:*)\", \"Edit\"]"));
        TaskRows.set(task.id(), "disallowed_tools", jsonb("[\"WebFetch\"]"));
        TaskRows.set(task.id(), "append_system_prompt", "Be brief.");
        TaskRows.set(task.id(), "permission_mode", "plan");
        TaskRows.set(task.id(), "ready_at", Instant.now());
        TaskRows.set(task.id(), "status", TaskStatus.QUEUED.name());

        TaskDispatch dispatch = await().until(
                () -> p2.values(TaskDispatch.class, d -> d.taskId().equals(task.id())), list -> !list.isEmpty()).getFirst();

        assertThat(dispatch.maxBudgetUsd()).isEqualByComparingTo("3.5");
        assertThat(dispatch.allowedTools()).containsExactly("Bash(git:*)", "Edit");
        assertThat(dispatch.disallowedTools()).containsExactly("WebFetch");
        assertThat(dispatch.appendSystemPrompt()).isEqualTo("Be brief.");
        assertThat(dispatch.permissionMode()).isEqualTo("plan");
    }

    @Test
    void aCommandTasksDispatchCarriesItsKindArgvAndShellFlag() throws SQLException {
        NewTask task = NewTask.queued().status(TaskStatus.WAITING);
        TaskRows.insert(task);
        TaskRows.set(task.id(), "kind", TaskKind.COMMAND.name());
        TaskRows.set(task.id(), "command", jsonb("[\"npm\", \"run\", \"build\"]"));
        TaskRows.set(task.id(), "ready_at", Instant.now());
        TaskRows.set(task.id(), "status", TaskStatus.QUEUED.name());

        TaskDispatch dispatch = await().until(
                () -> p2.values(TaskDispatch.class, d -> d.taskId().equals(task.id())), list -> !list.isEmpty()).getFirst();

        assertThat(dispatch.kind()).isEqualTo(TaskKind.COMMAND);
        assertThat(dispatch.command()).containsExactly("npm", "run", "build");
        assertThat(dispatch.shell()).isFalse();
        assertThat(dispatch.agent()).isNull();
    }

    @Test
    void aTasksAgentRoleIsMergedIntoItsDispatchAtReleaseWithTheTasksOwnSettingsWinning() throws SQLException {
        NewTask plain = NewTask.queued().status(TaskStatus.WAITING);
        NewTask overriding = NewTask.queued().status(TaskStatus.WAITING);
        TaskRows.insert(plain, overriding);
        TaskRows.set(overriding.id(), "agent", "reviewer");
        TaskRows.set(plain.id(), "agent", "release-test-role");
        // The role as it stands at release counts: it is rewritten after the task named it.
        TaskRows.putAgentRole("release-test-role", "sonnet", 3);
        TaskRows.putAgentRole("release-test-role", "opus", 7);
        TaskRows.set(overriding.id(), "model", "haiku");
        TaskRows.set(overriding.id(), "allowed_tools", jsonb("[\"Read\"]"));
        TaskRows.set(overriding.id(), "append_system_prompt", "Focus on the SQL.");
        for (NewTask task : List.of(plain, overriding)) {
            TaskRows.set(task.id(), "ready_at", Instant.now());
            TaskRows.set(task.id(), "status", TaskStatus.QUEUED.name());
        }

        TaskDispatch asRole = await().until(
                () -> p2.values(TaskDispatch.class, d -> d.taskId().equals(plain.id())), list -> !list.isEmpty()).getFirst();
        TaskDispatch withOwn = await().until(
                () -> p2.values(TaskDispatch.class, d -> d.taskId().equals(overriding.id())), list -> !list.isEmpty()).getFirst();

        assertThat(asRole.agent()).isEqualTo("release-test-role");
        assertThat(asRole.model()).isEqualTo("opus");
        assertThat(asRole.maxTurns()).isEqualTo(7);
        assertThat(asRole.maxBudgetUsd()).isNull();
        assertThat(asRole.allowedTools()).isEmpty();
        AgentRole reviewer = DefaultAgentRoles.REVIEWER;
        assertThat(withOwn.agent()).isEqualTo("reviewer");
        assertThat(withOwn.model()).isEqualTo("haiku");
        assertThat(withOwn.maxTurns()).isEqualTo(reviewer.maxTurns());
        assertThat(withOwn.maxBudgetUsd()).isEqualByComparingTo(reviewer.maxBudgetUsd());
        assertThat(withOwn.allowedTools()).containsExactly("Read");
        assertThat(withOwn.disallowedTools()).isEqualTo(reviewer.disallowedTools());
        assertThat(withOwn.appendSystemPrompt()).isEqualTo(reviewer.appendSystemPrompt() + "\n\nFocus on the SQL.");
    }

    private static PGobject jsonb(String json) throws SQLException {
        PGobject value = new PGobject();
        value.setType("jsonb");
        value.setValue(json);
        return value;
    }

    @Test
    void aQueuedTaskIsReleasedOnceAsAttemptOneOnTheTopicOfItsPriorityClass() {
        NewTask task = NewTask.queued();
        TaskRows.insert(task);

        await().untilAsserted(() -> assertThat(p2.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).hasSize(1));
        // Longer than the release interval, so a second pass would have had its chance to dispatch it again.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
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
    void threeReleasersRacingOverFourPoolsDispatchEachAttemptExactlyOnceAndOneTaskPerConcurrencyKey() throws Exception {
        List<String> pools = IntStream.range(0, 4).mapToObj(i -> Pools.fresh("replicas")).toList();
        List<NewTask> backlog = IntStream.range(0, 4_000).mapToObj(i -> NewTask.queued().pool(pools.get(i % 4))).toList();
        String[] idArray = backlog.stream().map(task -> task.id().toString()).toArray(String[]::new);
        Set<UUID> ids = backlog.stream().map(NewTask::id).collect(Collectors.toSet());
        String keyPrefix = "replicas-" + UUID.randomUUID() + "-";
        // No worker serves these pools yet, so nothing is released before the keys are set.
        TaskRows.insert(backlog, false);
        // 20 keys of 10 tasks each, spread over the four pools: a key is not bound to one pool, nor to one releaser.
        String[] keyedIds = Arrays.copyOf(idArray, 200);
        TestDatabase.count("""
                with keyed as (
                    update tasks set concurrency_key = ? || (abs(hashtext(id::text)) % 20)
                    where id = any(?::uuid[]) returning 1)
                select count(*) from keyed""", keyPrefix, keyedIds);
        assertThat(TestDatabase.count("select count(distinct concurrency_key) from tasks where concurrency_key like ?",
                keyPrefix + "%")).isEqualTo(20);
        Workers.alwaysLive("w-replicas-" + UUID.randomUUID(), 10_000, pools.toArray(String[]::new));

        // Three replicas' release loops, each pass in transactions of its own, racing the service's own loop too.
        ExecutorService replicas = Executors.newFixedThreadPool(3);
        try {
            Callable<Integer> drain = () -> {
                int total = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (queuedWithoutKey(idArray) > 0 && System.nanoTime() < deadline) {
                    total += releaseService.releasePass(50).dispatched();
                }
                return total;
            };
            List<Future<Integer>> results = List.of(replicas.submit(drain), replicas.submit(drain), replicas.submit(drain));
            for (Future<Integer> result : results) {
                result.get();
            }
        } finally {
            replicas.shutdown();
        }

        assertThat(queuedWithoutKey(idArray)).isZero();
        assertThat(TestDatabase.count(
                "select count(*) from tasks where id = any(?::uuid[]) and status = 'DISPATCHED' and concurrency_key is null",
                (Object) idArray)).isEqualTo(3_800);
        // Nothing finishes, so each key has exactly one task out; the other nine wait their turn.
        assertThat(TestDatabase.count("""
                select count(*) from tasks where id = any(?::uuid[]) and concurrency_key is not null
                and status = 'DISPATCHED'""", (Object) idArray)).isEqualTo(20);
        assertThat(TestDatabase.count("""
                select count(distinct concurrency_key) from tasks where id = any(?::uuid[]) and status = 'DISPATCHED'
                and concurrency_key is not null""", (Object) idArray)).isEqualTo(20);
        assertThat(TestDatabase.count("select count(*) from task_attempts where task_id = any(?::uuid[])", (Object) idArray))
                .isEqualTo(3_820);
        assertThat(TestDatabase.count(
                "select count(distinct task_id) from task_attempts where task_id = any(?::uuid[]) and attempt = 1",
                (Object) idArray)).isEqualTo(3_820);

        List<KafkaProbe> probes = pools.stream().map(pool -> KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))).toList();
        try {
            // Compared as a tally, so a failure says what is off instead of printing thousands of dispatches; held for a
            // second, so a repeated record arriving late is caught too.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(DispatchTally.of(dispatchesOf(probes, ids))).isEqualTo(new DispatchTally(3_820, 3_820, 0)));
        } finally {
            probes.forEach(KafkaProbe::close);
            pools.forEach(Pools::retire);
        }
    }

    /** What the pool topics hold: records, distinct (task, attempt) pairs among them, and records of a later attempt. */
    private record DispatchTally(int records, long distinctAttempts, long laterAttempts) {
        static DispatchTally of(List<TaskDispatch> dispatched) {
            return new DispatchTally(
                    dispatched.size(),
                    dispatched.stream().map(d -> d.taskId() + "/" + d.attempt()).distinct().count(),
                    dispatched.stream().filter(d -> d.attempt() != 1).count());
        }
    }

    private static long queuedWithoutKey(String[] idArray) {
        return TestDatabase.count("select count(*) from tasks where id = any(?::uuid[]) and status = 'QUEUED' "
                + "and concurrency_key is null", (Object) idArray);
    }

    private static List<TaskDispatch> dispatchesOf(List<KafkaProbe> probes, Set<UUID> ids) {
        return probes.stream().flatMap(probe -> probe.values(TaskDispatch.class, d -> ids.contains(d.taskId())).stream()).toList();
    }
}
