package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskListingIT {

    @Test
    void walkingTheCursorReturnsEveryTaskOnceNewestFirst() {
        String pool = uniquePool();
        Instant base = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<UUID> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            newestFirst.addFirst(Fixtures.insertTask(TaskStatus.QUEUED, pool, base.plusMillis(i)));
        }
        // Two tasks created in the same microsecond: the id breaks the tie, so neither is skipped or repeated.
        newestFirst.add(Fixtures.insertTask(TaskStatus.QUEUED, pool, base.minusSeconds(1)));
        newestFirst.add(Fixtures.insertTask(TaskStatus.QUEUED, pool, base.minusSeconds(1)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = client().queryParam("pool", pool).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/tasks").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(pages).isEqualTo(5);
        assertThat(seen).hasSize(9).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 7)).containsExactlyElementsOf(newestFirst.subList(0, 7).stream().map(UUID::toString).toList());
        assertThat(seen.subList(7, 9)).containsExactlyInAnyOrderElementsOf(newestFirst.subList(7, 9).stream().map(UUID::toString).toList());
    }

    @Test
    void theListIsFilteredByStatusAndPool() {
        String pool = uniquePool();
        UUID running = Fixtures.insertTask(TaskStatus.RUNNING, pool, Instant.now());
        UUID queued = Fixtures.insertTask(TaskStatus.QUEUED, pool, Instant.now());
        Fixtures.insertTask(TaskStatus.SUCCEEDED, pool, Instant.now());
        Fixtures.insertTask(TaskStatus.RUNNING, uniquePool(), Instant.now());

        List<String> ids = client().queryParam("pool", pool).queryParam("status", "RUNNING", "QUEUED")
                .get("/api/v1/tasks")
                .then().statusCode(200)
                .body("nextCursor", nullValue())
                .extract().jsonPath().getList("items.id", String.class);
        assertThat(ids).containsExactlyInAnyOrder(running.toString(), queued.toString());

        client().queryParam("pool", pool).queryParam("status", "SUCCEEDED")
                .get("/api/v1/tasks")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].status", is("SUCCEEDED"))
                .body("items[0].priorityClass", is("P2"))
                .body("items[0].links.self", containsString("/api/v1/tasks/"));
    }

    @Test
    void anUnknownStatusIsABadRequestNamingIt() {
        client().queryParam("status", "RUNNING").queryParam("status", "SLEEPING")
                .get("/api/v1/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("status"))
                .body("errors[0].message", containsString("'SLEEPING'"));
    }

    @Test
    void aLimitOutsideOneTo200IsABadRequest() {
        for (String limit : List.of("0", "201", "many")) {
            client().queryParam("limit", limit).get("/api/v1/tasks")
                    .then().statusCode(400)
                    .body("errors[0].field", is("limit"));
        }
    }

    @Test
    void aCursorTheApiDidNotIssueIsABadRequest() {
        client().queryParam("cursor", "bm90LWEtY3Vyc29y").get("/api/v1/tasks")
                .then().statusCode(400)
                .body("errors[0].field", is("cursor"));
    }

    private static String uniquePool() {
        return "list-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
