package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.taskq.gateway.Fixtures;
import dev.taskq.gateway.persistence.IdempotencyKeys;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** An Idempotency-Key makes a create safe to repeat: the same request returns the same resource, never a second one. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class IdempotencyIT {

    private static final String KEY = "Idempotency-Key";

    @Inject
    IdempotencyKeys idempotencyKeys;

    @Test
    void repeatingATaskSubmissionWithItsKeyReturnsTheSameTask() {
        String key = UUID.randomUUID().toString();
        String prompt = "idempotent " + key;

        ExtractableResponse<Response> first = client().header(KEY, key)
                .body("{\"prompt\": \"" + prompt + "\", \"priority\": 7}")
                .post("/api/v1/tasks").then().statusCode(201).extract();
        // The same request, written differently: other key order and spacing, an explicit null.
        ExtractableResponse<Response> repeat = client().header(KEY, key)
                .body("{ \"priority\" : 7,\n \"model\": null, \"prompt\" : \"" + prompt + "\" }")
                .post("/api/v1/tasks").then().statusCode(200)
                .header("Idempotent-Replayed", is("true"))
                .extract();

        assertThat(repeat.<String>path("id")).isEqualTo(first.path("id"));
        assertThat(repeat.header("Location")).isEqualTo(first.header("Location"));
        assertThat(TestDatabase.count("select count(*) from tasks where prompt = ?", prompt)).isEqualTo(1);
    }

    @Test
    void aReplayShowsTheTaskAsItIsNow() {
        String key = UUID.randomUUID().toString();
        String body = "{\"prompt\": \"then cancelled\"}";
        String id = client().header(KEY, key).body(body).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        client().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);

        client().header(KEY, key).body(body).post("/api/v1/tasks")
                .then().statusCode(200)
                .body("id", is(id))
                .body("status", is("CANCELLED"));
    }

    @Test
    void theSameKeyWithAnotherRequestIsAConflictAndCreatesNothing() {
        String key = UUID.randomUUID().toString();
        client().header(KEY, key).body("{\"prompt\": \"first\"}").post("/api/v1/tasks").then().statusCode(201);
        long tasksBefore = TestDatabase.count("tasks");

        client().header(KEY, key).body("{\"prompt\": \"second\"}").post("/api/v1/tasks")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", is("https://taskq.dev/problems/idempotency-key-reused"))
                .body("detail", containsString(key));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @Test
    void twoIdenticalRequestsRacingCreateOneTask() throws Exception {
        String key = UUID.randomUUID().toString();
        String prompt = "race " + key;
        int racers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return client().header(KEY, key).body("{\"prompt\": \"" + prompt + "\"}").post("/api/v1/tasks").then().extract();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> answer : answers) {
                statuses.add(answer.get().statusCode());
                ids.add(answer.get().path("id"));
            }

            assertThat(statuses).containsOnly(201, 200).containsOnlyOnce(201);
            assertThat(ids).doesNotContainNull().containsOnly(ids.getFirst());
            assertThat(TestDatabase.count("select count(*) from tasks where prompt = ?", prompt)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectedRequestLeavesTheKeyFreeForAValidOne() {
        String key = UUID.randomUUID().toString();
        long keysBefore = TestDatabase.count("idempotency_keys");

        client().header(KEY, key).body("{\"prompt\": \"p\", \"dependsOn\": [\"" + UUID.randomUUID() + "\"]}")
                .post("/api/v1/tasks").then().statusCode(422);
        client().header(KEY, key).body("{\"prompt\": \"p\", \"concurrencyKey\": \"\"}")
                .post("/api/v1/tasks").then().statusCode(400);
        assertThat(TestDatabase.count("idempotency_keys")).isEqualTo(keysBefore);

        client().header(KEY, key).body("{\"prompt\": \"now valid\"}").post("/api/v1/tasks").then().statusCode(201);
        assertThat(TestDatabase.count("idempotency_keys")).isEqualTo(keysBefore + 1);
    }

    @Test
    void aKeyPastItsRetentionMayBeUsedForAnotherRequest() {
        String key = UUID.randomUUID().toString();
        String first = client().header(KEY, key).body("{\"prompt\": \"long ago\"}").post("/api/v1/tasks")
                .then().statusCode(201).extract().path("id");
        Fixtures.update("update idempotency_keys set created_at = now() - interval '25 hours' where idempotency_key = ?", key);

        String second = client().header(KEY, key).body("{\"prompt\": \"today\"}").post("/api/v1/tasks")
                .then().statusCode(201).extract().path("id");

        assertThat(second).isNotEqualTo(first);
        assertThat(Fixtures.queryString("select resource_id from idempotency_keys where idempotency_key = ?", key)).isEqualTo(second);
    }

    @Test
    void theCleanupForgetsOnlyExpiredKeys() {
        String expired = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        client().header(KEY, expired).body("{\"prompt\": \"old\"}").post("/api/v1/tasks").then().statusCode(201);
        client().header(KEY, fresh).body("{\"prompt\": \"new\"}").post("/api/v1/tasks").then().statusCode(201);
        Fixtures.update("update idempotency_keys set created_at = now() - interval '25 hours' where idempotency_key = ?", expired);

        idempotencyKeys.deleteExpired();

        assertThat(TestDatabase.count("select count(*) from idempotency_keys where idempotency_key = ?", expired)).isZero();
        assertThat(TestDatabase.count("select count(*) from idempotency_keys where idempotency_key = ?", fresh)).isEqualTo(1);
    }

    @Test
    void theTokenIsNeverStoredOnlyAFingerprintOfIt() {
        String key = UUID.randomUUID().toString();
        client().header(KEY, key).body("{\"prompt\": \"fingerprint\"}").post("/api/v1/tasks").then().statusCode(201);

        String principal = Fixtures.queryString("select principal from idempotency_keys where idempotency_key = ?", key);
        assertThat(principal).hasSize(32).matches("[0-9a-f]+").doesNotContain(Fixtures.TOKEN);
        assertThat(principal).isEqualTo(BearerTokens.principalOf(Fixtures.TOKEN));
    }

    @Test
    void aKeyThatIsEmptyTooLongOrNotPrintableAsciiIsABadRequest() {
        long before = TestDatabase.count("tasks");
        for (String bad : List.of("", "k".repeat(256), "naïve")) {
            client().header(KEY, bad).body("{\"prompt\": \"p\"}").post("/api/v1/tasks")
                    .then().statusCode(400)
                    .body("errors[0].field", is(KEY));
        }
        assertThat(TestDatabase.count("tasks")).isEqualTo(before);
    }

    @Test
    void aKeyOnTheTaskEndpointAndTheSameOnTheWorkflowEndpointAreIndependent() {
        String key = UUID.randomUUID().toString();
        client().header(KEY, key).body("{\"prompt\": \"task\"}").post("/api/v1/tasks").then().statusCode(201);

        client().header(KEY, key).body("{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"workflow\"}]}").post("/api/v1/workflows")
                .then().statusCode(201);
    }

    @Test
    void repeatingAWorkflowWithItsKeyReturnsTheSameWorkflow() {
        String key = UUID.randomUUID().toString();
        String body = "{\"name\": \"once " + key + "\", \"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\"}, "
                + "{\"ref\": \"b\", \"prompt\": \"p\", \"dependsOn\": [\"a\"]}]}";

        String id = client().header(KEY, key).body(body).post("/api/v1/workflows").then().statusCode(201).extract().path("id");
        client().header(KEY, key).body(body).post("/api/v1/workflows")
                .then().statusCode(200)
                .body("id", is(id))
                .body("tasks.ref", org.hamcrest.Matchers.contains("a", "b"));
        client().header(KEY, key).body(body.replace("\"p\"", "\"q\"")).post("/api/v1/workflows").then().statusCode(409);

        assertThat(TestDatabase.count("select count(*) from workflows where name = ?", "once " + key)).isEqualTo(1);
    }
}
