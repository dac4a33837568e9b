package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static dev.taskq.gateway.Fixtures.count;
import static dev.taskq.gateway.Fixtures.createKey;
import static dev.taskq.gateway.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.notNullValue;

import dev.taskq.gateway.Fixtures.Key;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Per-key rate limits and quotas: 429 problem+json with Retry-After, nothing written. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class KeyLimitsIT {

    private static final String TASK = "{\"prompt\": \"p\"}";

    @Test
    void aKeyPastItsRequestsPerSecondIsToldToRetryLater() {
        // A bucket of one request, refilled every 100 s: the second request is refused whatever the machine's speed.
        Key slow = createKey("viewer", "\"requestsPerSecond\": 0.01");
        client(slow.secret()).get("/api/v1/tasks").then().statusCode(200);
        int retryAfter = Integer.parseInt(client(slow.secret()).get("/api/v1/tasks").then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("/rate-limited"))
                .header("Retry-After", notNullValue())
                .extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 100);
        // Other keys are not held back by it.
        client(createKey("viewer").secret()).get("/api/v1/tasks").then().statusCode(200);
    }

    @Test
    void aKeyWithAsManyUnfinishedTasksAsItMayHaveCannotSubmitMore() {
        Key key = createKey("submitter", "\"maxRunningTasks\": 1");
        String first = client(key.secret()).body(TASK).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        long tasks = count("tasks");
        client(key.secret()).body(TASK).post("/api/v1/tasks").then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("/quota-exceeded"))
                .body("detail", containsString("at most 1"))
                .header("Retry-After", notNullValue());
        client(key.secret()).body("{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\"}]}").post("/api/v1/workflows")
                .then().statusCode(429);
        assertThat(count("tasks")).isEqualTo(tasks);

        client(key.secret()).post("/api/v1/tasks/" + first + "/cancel").then().statusCode(200);
        client(key.secret()).body(TASK).post("/api/v1/tasks").then().statusCode(201);
    }

    @Test
    void submissionsRacingAtTheLimitAreCountedOneAfterAnother() throws Exception {
        Key key = createKey("submitter", "\"maxRunningTasks\": 3");
        int racers = 12;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return client(key.secret()).body(TASK).post("/api/v1/tasks").then().extract().statusCode();
                }));
            }
            start.countDown();
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(3);
        assertThat(statuses).filteredOn(status -> status == 429).hasSize(racers - 3);
        assertThat(TestDatabase.count("select count(*) from tasks where submitted_by_key_id = ?", key.id())).isEqualTo(3);
    }

    @Test
    void aKeyThatSpentItsDailyBudgetIsRefusedUntilMidnightUtc() {
        Key key = createKey("submitter", "\"dailyBudgetUsd\": 0.50");
        String first = client(key.secret()).body(TASK).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        client(key.secret()).body(TASK).post("/api/v1/tasks").then().statusCode(201);
        // The sessions' cost arrives with their results: here as if the first one's session cost 0.75 USD.
        update("update tasks set total_cost_usd = 0.75 where id = ?", UUID.fromString(first));
        int retryAfter = Integer.parseInt(client(key.secret()).body(TASK).post("/api/v1/tasks").then().statusCode(429)
                .body("type", endsWith("/quota-exceeded"))
                .body("detail", containsString("0.75 USD today"))
                .extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 86_401);
    }
}
