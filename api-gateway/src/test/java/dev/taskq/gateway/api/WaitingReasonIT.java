package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A task that has not started says why, in words that point at what to fix. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WaitingReasonIT {

    @Test
    void aTaskInAPoolNoWorkerEverServedSaysSo() {
        String pool = uniquePool();
        UUID task = Fixtures.submit("{\"prompt\": \"p\", \"pool\": \"" + pool + "\"}");

        client().get("/api/v1/tasks/" + task).then().statusCode(200)
                .body("status", is("QUEUED"))
                .body("waitingReason", is("no worker has ever served pool '" + pool + "'"));
    }

    @Test
    void aTaskInAPoolWhoseWorkersFellSilentSaysWhenOneWasLastSeen() {
        String pool = uniquePool();
        Fixtures.update("""
                insert into workers (worker_id, host, slots, busy_slots, pools, last_seen_at)
                values (?, 'h', 4, 0, array[?], now() - interval '10 minutes')""", "stale-" + pool, pool);
        UUID task = Fixtures.submit("{\"prompt\": \"p\", \"pool\": \"" + pool + "\"}");

        client().get("/api/v1/tasks/" + task).then()
                .body("waitingReason", containsString("no live worker serves pool '" + pool + "' (last seen "));
    }

    @Test
    void aTaskWhoseKeyIsHeldNamesTheTaskHoldingItAndOtherwiseWaitsForASlot() {
        String pool = uniquePool();
        String key = "key-" + pool;
        Fixtures.update("""
                insert into workers (worker_id, host, slots, busy_slots, pools, last_seen_at)
                values (?, 'h', 1, 1, array['other', ?], now())""", "live-" + pool, pool);
        UUID holder = Fixtures.submit("{\"prompt\": \"first\", \"pool\": \"" + pool + "\", \"concurrencyKey\": \"" + key + "\"}");
        Fixtures.makeRunning(holder, "live-" + pool);
        UUID waiting = Fixtures.submit("{\"prompt\": \"second\", \"pool\": \"" + pool + "\", \"concurrencyKey\": \"" + key + "\"}");
        UUID unkeyed = Fixtures.submit("{\"prompt\": \"third\", \"pool\": \"" + pool + "\"}");

        client().get("/api/v1/tasks/" + waiting).then()
                .body("concurrencyKey", is(key))
                .body("waitingReason", is("concurrency key '" + key + "' is held by task " + holder));
        client().get("/api/v1/tasks/" + unkeyed).then()
                .body("waitingReason", is("waiting for a free slot in pool '" + pool + "'"));
        client().get("/api/v1/tasks/" + holder).then()
                .body("status", is("RUNNING"))
                .body("waitingReason", nullValue());
    }

    @Test
    void aTaskInItsRetryBackoffSaysUntilWhen() {
        UUID task = Fixtures.submit("{\"prompt\": \"p\"}");
        Fixtures.update("update tasks set run_after = now() + interval '1 hour' where id = ?", task);

        client().get("/api/v1/tasks/" + task).then()
                .body("waitingReason", containsString("retry backoff until "))
                .body("runAfter", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aWaitingTaskCountsItsUnmetDependencies() {
        UUID first = Fixtures.submit("{\"prompt\": \"a\"}");
        UUID second = Fixtures.submit("{\"prompt\": \"b\"}");
        UUID after = Fixtures.submit("{\"prompt\": \"c\", \"dependsOn\": [\"" + first + "\", \"" + second + "\"]}");

        client().get("/api/v1/tasks/" + after).then()
                .body("waitingReason", is("waiting for 2 of 2 dependencies"));
    }

    private static String uniquePool() {
        return "pool-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
