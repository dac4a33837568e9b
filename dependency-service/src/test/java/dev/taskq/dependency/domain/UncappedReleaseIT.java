package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(UncappedReleaseProfile.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class UncappedReleaseIT {

    private final String pool = Pools.fresh("uncapped");

    @AfterEach
    void retirePool() {
        Pools.retire(pool);
    }

    @Test
    void withCapacityBoundingOffAWholeBacklogIsReleasedThoughNoWorkerServesItsPool() {
        List<NewTask> backlog = IntStream.range(0, 500).mapToObj(i -> NewTask.queued().pool(pool)).toList();
        TaskRows.insert(backlog, true);

        // Generous bounds: the outcome is checked here, not the speed (the first pass also creates the pool's topics).
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(
                "select count(*) from tasks where pool = ? and status = 'DISPATCHED'", pool) == 500);
        try (KafkaProbe p2 = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(p2.values(TaskDispatch.class, d -> true)).hasSize(500));
        }
    }

    @Test
    void withCapacityBoundingOffTasksSharingAConcurrencyKeyStillRunOneAtATime() {
        List<NewTask> keyed = IntStream.range(0, 3).mapToObj(i -> NewTask.queued().pool(pool)).toList();
        TaskRows.insert(keyed, false);
        // The pool's name doubles as the key; the next release pass (at most a second away) sees the keys.
        TestDatabase.count("with keyed as (update tasks set concurrency_key = ? where pool = ? returning 1) "
                + "select count(*) from keyed", pool, pool);

        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(
                "select count(*) from tasks where concurrency_key = ? and status = 'DISPATCHED'", pool) == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
                "select count(*) from tasks where concurrency_key = ? and status = 'QUEUED'", pool) == 2);
    }
}
