package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /api/v1/workers shows each worker's last heartbeat and, per pool, the live capacity and the queue. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WorkersApiIT {

    @Test
    void aWorkerThatJustSentAHeartbeatIsListedAliveWithItsPoolsAndSlots() {
        String pool = uniquePool();
        String worker = "w-" + pool;
        insertWorker(worker, 4, 1, "now()", "other-" + pool, pool);

        client().get("/api/v1/workers").then().statusCode(200)
                .body(worker(worker) + ".host", is("host-" + worker))
                .body(worker(worker) + ".pools", contains("other-" + pool, pool))
                .body(worker(worker) + ".slots", is(4))
                .body(worker(worker) + ".busySlots", is(1))
                .body(worker(worker) + ".lastSeenAt", notNullValue())
                .body(worker(worker) + ".alive", is(true));
    }

    @Test
    void aWorkerSilentForLongerThanTheLivenessWindowIsListedButNotAliveAndAddsNoSlots() {
        String pool = uniquePool();
        String worker = "w-" + pool;
        // The test profile's window is 2 minutes (10 s by default, the release's).
        insertWorker(worker, 8, 2, "now() - interval '10 minutes'", pool);

        client().get("/api/v1/workers").then().statusCode(200)
                .body(worker(worker) + ".alive", is(false))
                .body(pool(pool) + ".workers", is(0))
                .body(pool(pool) + ".slots", is(0))
                .body(pool(pool) + ".busySlots", is(0));
    }

    @Test
    void aPoolSumsTheSlotsOfItsAliveWorkersAndCountsOnlyItsQueuedTasks() {
        String pool = uniquePool();
        insertWorker("a-" + pool, 4, 3, "now()", pool);
        insertWorker("b-" + pool, 2, 0, "now() - interval '5 seconds'", pool, "other-" + pool);
        insertWorker("gone-" + pool, 16, 16, "now() - interval '10 minutes'", pool);
        Fixtures.insertTask(TaskStatus.QUEUED, pool, Instant.now());
        Fixtures.insertTask(TaskStatus.QUEUED, pool, Instant.now());
        Fixtures.insertTask(TaskStatus.RUNNING, pool, Instant.now());
        Fixtures.insertTask(TaskStatus.WAITING, pool, Instant.now());

        client().get("/api/v1/workers").then().statusCode(200)
                .body(pool(pool) + ".workers", is(2))
                .body(pool(pool) + ".slots", is(6))
                .body(pool(pool) + ".busySlots", is(3))
                .body(pool(pool) + ".queued", is(2))
                .body(pool("other-" + pool) + ".workers", is(1))
                .body(pool("other-" + pool) + ".slots", is(2))
                .body(pool("other-" + pool) + ".queued", is(0));
    }

    @Test
    void aPoolWithQueuedTasksButNoWorkerIsListedWithNoSlots() {
        String pool = uniquePool();
        Fixtures.insertTask(TaskStatus.QUEUED, pool, Instant.now());

        client().get("/api/v1/workers").then().statusCode(200)
                .body(pool(pool) + ".workers", is(0))
                .body(pool(pool) + ".slots", is(0))
                .body(pool(pool) + ".queued", is(1));
    }

    @Test
    void aWorkerThatDeclaresNoPoolIsShownServingTheDefaultPool() {
        String worker = "w-" + uniquePool();
        insertWorker(worker, 1, 0, "now()");

        client().get("/api/v1/workers").then().statusCode(200)
                .body(worker(worker) + ".pools", contains("default"))
                .body(pool("default") + ".workers", notNullValue());
    }

    @Test
    void aWorkersHostReadingsAreShownAsItsLastHeartbeatGaveThemAndAreNullWhenItGaveNone() {
        String reporting = "w-" + UUID.randomUUID();
        String silent = "w-" + UUID.randomUUID();
        insertWorker(reporting, 2, 1, "now()", "default");
        insertWorker(silent, 2, 0, "now()", "default");
        Fixtures.update("update workers set memory_available_bytes = ?, memory_total_bytes = ?, cpu_busy = ?, load1 = ?,"
                + " gate_open = ? where worker_id = ?", 1_073_741_824L, 4_294_967_296L, 0.97, 3.5, false, reporting);

        client().get("/api/v1/workers").then()
                .statusCode(200)
                .body(worker(reporting) + ".resources.memoryAvailableBytes", is(1_073_741_824))
                .body(worker(reporting) + ".resources.memoryTotalBytes", is(4_294_967_296L))
                .body(worker(reporting) + ".resources.cpuBusy", is(0.97f))
                .body(worker(reporting) + ".resources.load1", is(3.5f))
                .body(worker(reporting) + ".resources.gateOpen", is(false))
                .body(worker(silent) + ".resources", nullValue());
    }

    @Test
    void theFleetIsShownOnlyToACallerWithAToken() {
        given().get("/api/v1/workers").then().statusCode(401);
    }

    private static void insertWorker(String workerId, int slots, int busySlots, String lastSeenAt, String... pools) {
        Fixtures.update("insert into workers (worker_id, host, slots, busy_slots, pools, last_seen_at) values (?, ?, ?, ?, ?, "
                        + lastSeenAt + ")",
                workerId, "host-" + workerId, slots, busySlots, pools);
    }

    private static String worker(String workerId) {
        return "workers.find { it.workerId == '" + workerId + "' }";
    }

    private static String pool(String pool) {
        return "pools.find { it.pool == '" + pool + "' }";
    }

    private static String uniquePool() {
        return "pool-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
