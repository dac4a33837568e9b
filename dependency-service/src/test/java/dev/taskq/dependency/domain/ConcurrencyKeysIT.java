package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.dependency.testing.Workers;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class ConcurrencyKeysIT {

    private final String pool = Pools.fresh("keys");
    private final String key = "repo-" + UUID.randomUUID();
    private FakeWorker worker;

    @BeforeEach
    void open() {
        worker = new FakeWorker("w-" + pool);
    }

    @AfterEach
    void close() {
        worker.close();
        Pools.retire(pool);
    }

    @Test
    void threeTasksSharingAKeyRunOneAtATimeInPriorityOrder() throws SQLException {
        NewTask low = NewTask.queued().priority(2).pool(pool);
        NewTask high = NewTask.queued().priority(9).pool(pool);
        NewTask middle = NewTask.queued().priority(5).pool(pool);
        // No worker serves the pool yet, so nothing is released before the keys are set.
        TaskRows.insert(List.of(low, high, middle), false);
        for (NewTask task : List.of(low, high, middle)) {
            TaskRows.set(task.id(), "concurrency_key", key);
        }
        Workers.alwaysLive("w-" + pool, 10, pool);

        List<UUID> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            await().until(() -> inFlightWithKey() == 1);
            // Plenty of free slots, yet the others wait for this one.
            await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(30)).until(() -> inFlightWithKey() == 1);
            UUID running = runningWithKey();
            order.add(running);
            worker.started(running, 1);
            worker.succeeded(running, 1, null);
            await().until(() -> TaskRows.task(running).status() == TaskStatus.SUCCEEDED);
        }

        assertThat(order).containsExactly(high.id(), middle.id(), low.id());
    }

    @Test
    void aBatchFullOfOneKeyReleasesOneOfThemAndStillReachesTheTasksBehind() {
        // More than a release batch (200) of one key, all ahead of an unkeyed task in release order.
        List<NewTask> keyed = IntStream.range(0, 250).mapToObj(i -> NewTask.queued().priority(8).pool(pool)).toList();
        NewTask behind = NewTask.queued().priority(3).pool(pool);
        TaskRows.insert(keyed, false);
        TaskRows.insert(List.of(behind), false);
        TestDatabase.count("with keyed as (update tasks set concurrency_key = ? where pool = ? and priority = 8 returning 1) "
                + "select count(*) from keyed", key, pool);
        Workers.alwaysLive("w-" + pool, 300, pool);

        await().until(() -> TaskRows.task(behind.id()).status() == TaskStatus.DISPATCHED);
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(30)).until(() -> inFlightWithKey() == 1);
        assertThat(TestDatabase.count("select count(*) from tasks where concurrency_key = ? and status = 'QUEUED'", key))
                .isEqualTo(249);
    }

    private long inFlightWithKey() {
        return TestDatabase.count(
                "select count(*) from tasks where concurrency_key = ? and status in ('DISPATCHED', 'RUNNING')", key);
    }

    private UUID runningWithKey() throws SQLException {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement select = connection.prepareStatement(
                        "select id from tasks where concurrency_key = ? and status in ('DISPATCHED', 'RUNNING')")) {
            select.setString(1, key);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            assertThat(ids).hasSize(1);
            return ids.getFirst();
        }
    }
}
