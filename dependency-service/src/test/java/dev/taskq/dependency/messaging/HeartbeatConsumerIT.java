package dev.taskq.dependency.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.event.WorkerHeartbeat.Resources;
import dev.taskq.dependency.testing.FakeWorker;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class HeartbeatConsumerIT {

    // A pool of its own with no tasks: the worker's slots are offered to nothing another test queued.
    private final String pool = Pools.fresh("beat");
    private final String workerId = "w-" + pool;

    @AfterEach
    void retirePool() {
        Pools.retire(pool);
    }

    @Test
    void aHeartbeatsHostReadingsAreStoredWithTheWorker() {
        try (FakeWorker worker = new FakeWorker(workerId)) {
            worker.heartbeat(2, List.of(pool), List.of(), new Resources(3_000_000_000L, 8_000_000_000L, 0.25, 1.5, false));

            await().until(() -> TestDatabase.count("""
                    select count(*) from workers where worker_id = ? and memory_available_bytes = 3000000000
                    and memory_total_bytes = 8000000000 and cpu_busy = 0.25 and load1 = 1.5 and gate_open = false""",
                    workerId) == 1);
        }
    }

    @Test
    void aHeartbeatWithoutReadingsClearsThoseOfTheOneBefore() {
        try (FakeWorker worker = new FakeWorker(workerId)) {
            worker.heartbeat(2, List.of(pool), List.of(), new Resources(1L, 2L, 0.5, 0.5, true));
            await().until(() -> TestDatabase.count(
                    "select count(*) from workers where worker_id = ? and gate_open", workerId) == 1);

            // An older worker's heartbeat, or one whose host could not be read.
            worker.heartbeat(3, List.of(pool), List.of(), null);

            await().until(() -> TestDatabase.count("""
                    select count(*) from workers where worker_id = ? and slots = 3 and memory_available_bytes is null
                    and memory_total_bytes is null and cpu_busy is null and load1 is null and gate_open is null""",
                    workerId) == 1);
        }
    }
}
