package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.dependency.testing.FakeWorker;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class CapacityReleaseIT {

    // Each test has a pool of its own, so the test fleet of the default pool and other tests' tasks stay out of it.
    private final String pool = Pools.fresh("cap");

    @AfterEach
    void retirePool() {
        Pools.retire(pool);
    }

    @Test
    void aP0SubmittedWhileEverySlotIsTakenIsDispatchedAtOnceAndTheP3BacklogBehindItWaitsInPostgres() {
        Workers.alwaysLive("w-" + pool, 2, pool);
        List<NewTask> backlog = IntStream.range(0, 5_000).mapToObj(i -> NewTask.queued().priority(2).pool(pool)).toList();
        TaskRows.insert(backlog, true);

        // Two slots plus the margin of two: the rest of the backlog stays in Postgres, not in Kafka.
        await().until(() -> inFlight() == 4);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).until(() -> inFlight() == 4);
        assertThat(queued()).isEqualTo(4_996);
        try (KafkaProbe p3 = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P3));
                KafkaProbe p0 = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P0))) {
            await().untilAsserted(() -> assertThat(p3.values(TaskDispatch.class, d -> true)).hasSize(4));

            NewTask urgent = NewTask.queued().priority(10).pool(pool);
            TaskRows.insert(urgent);

            // No free slot and the margin used up, but a P0 may go beyond both (the urgent overcommit): it waits on the
            // P0 topic, which workers read first, for the next slot that frees.
            await().untilAsserted(() -> assertThat(p0.values(TaskDispatch.class, d -> true))
                    .singleElement()
                    .satisfies(dispatch -> assertThat(dispatch.taskId()).isEqualTo(urgent.id())));
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(p3.values(TaskDispatch.class, d -> true)).hasSize(4);
                assertThat(queued()).isEqualTo(4_996);
            });

            // A P3 that finishes frees no room for the backlog: the P0 holds that slot now.
            UUID first = p3.values(TaskDispatch.class, d -> true).getFirst().taskId();
            try (FakeWorker worker = new FakeWorker("w-" + pool)) {
                worker.started(first, 1);
                worker.succeeded(first, 1, null);
            }
            await().until(() -> TaskRows.task(first).status() == TaskStatus.SUCCEEDED);
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(p3.values(TaskDispatch.class, d -> true)).hasSize(4);
                assertThat(queued()).isEqualTo(4_996);
            });
        }
    }

    @Test
    void p0TasksGoBeyondTheFreeSlotsOnlyUpToTheUrgentOvercommit() {
        Workers.alwaysLive("w-" + pool, 2, pool);
        List<NewTask> urgent = IntStream.range(0, 10).mapToObj(i -> NewTask.queued().priority(10).pool(pool)).toList();
        TaskRows.insert(urgent, true);

        // 2 slots + margin 2 + urgent overcommit 4.
        await().until(() -> inFlight() == 8);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).until(() -> inFlight() == 8);
        assertThat(queued()).isEqualTo(2);
    }

    @Test
    void aTaskOfAPoolNoWorkerServesWaitsUntilAWorkerOfThatPoolHeartbeatsAndIsThenDispatchedOnThePoolsTopic() {
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30))
                .until(() -> TaskRows.task(task.id()).status() == TaskStatus.QUEUED);
        assertThat(TaskRows.attempts(task.id())).isEmpty();

        try (FakeWorker worker = new FakeWorker("w-" + pool)) {
            worker.heartbeat(1, List.of(pool), List.of());
            await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
        }
        // The pool's topics did not exist before its worker showed up; the heartbeat had them created.
        try (KafkaProbe poolTopic = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2));
                KafkaProbe defaultTopic = KafkaProbe.on(TOPICS.dispatch(PriorityClass.P2))) {
            await().untilAsserted(() -> assertThat(poolTopic.values(TaskDispatch.class, d -> d.taskId().equals(task.id())))
                    .singleElement()
                    .satisfies(dispatch -> assertThat(dispatch.pool()).isEqualTo(pool)));
            assertThat(defaultTopic.values(TaskDispatch.class, d -> d.taskId().equals(task.id()))).isEmpty();
        }
    }

    @Test
    void aWorkerWhoseHeartbeatsStoppedNoLongerCountsAsCapacity() {
        Workers.silent("w-" + pool, 8, pool);
        NewTask task = NewTask.queued().pool(pool);
        TaskRows.insert(task);

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30))
                .until(() -> TaskRows.task(task.id()).status() == TaskStatus.QUEUED);

        Workers.alwaysLive("w-" + pool, 8, pool);
        await().until(() -> TaskRows.task(task.id()).status() == TaskStatus.DISPATCHED);
    }

    @Test
    void aWorkerServingTwoPoolsCountsItsSlotsTowardEach() {
        String other = pool + "-b";
        Workers.alwaysLive("w-" + pool, 1, pool, other);
        List<NewTask> here = IntStream.range(0, 10).mapToObj(i -> NewTask.queued().pool(pool)).toList();
        List<NewTask> there = IntStream.range(0, 10).mapToObj(i -> NewTask.queued().pool(other)).toList();
        TaskRows.insert(here, false);
        TaskRows.insert(there, true);

        Set<UUID> hereIds = here.stream().map(NewTask::id).collect(Collectors.toSet());
        Set<UUID> thereIds = there.stream().map(NewTask::id).collect(Collectors.toSet());
        // One slot plus the margin, in each pool.
        await().until(() -> dispatched(hereIds) == 3 && dispatched(thereIds) == 3);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30))
                .until(() -> dispatched(hereIds) == 3 && dispatched(thereIds) == 3);
        Pools.retire(other);
    }

    private long inFlight() {
        return TestDatabase.count("select count(*) from tasks where pool = ? and status in ('DISPATCHED', 'RUNNING')", pool);
    }

    private long queued() {
        return TestDatabase.count("select count(*) from tasks where pool = ? and status = 'QUEUED'", pool);
    }

    private static long dispatched(Set<UUID> ids) {
        return ids.stream().filter(id -> TaskRows.task(id).status() == TaskStatus.DISPATCHED).count();
    }
}
