package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static dev.taskq.gateway.Fixtures.createKey;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import dev.taskq.gateway.Fixtures.Key;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The audit log: who did what, queryable by admins with filters and keyset paging. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AuditLogIT {

    @Test
    void aSubmitAndACancelAreRecordedWithTheKeyThatDidThem() {
        Key submitter = createKey("submitter");
        String task = client(submitter.secret()).body("{\"prompt\": \"p\"}").post("/api/v1/tasks").then().statusCode(201)
                .extract().path("id");
        client(submitter.secret()).post("/api/v1/tasks/" + task + "/cancel").then().statusCode(200);

        client().get("/api/v1/audit?targetId=" + task).then().statusCode(200)
                .body("items.action", contains("task.cancel", "task.submit"))
                .body("items.keyId", everyItem(is(submitter.id().toString())))
                .body("items.outcome", everyItem(is("succeeded")))
                .body("items.actor", everyItem(notNullValue()));
    }

    @Test
    void keyChangesAreRecordedAgainstTheBootstrapToken() {
        Key key = createKey("viewer");
        client().delete("/api/v1/api-keys/" + key.id()).then().statusCode(200);
        client().get("/api/v1/audit?targetId=" + key.id()).then().statusCode(200)
                .body("items.action", contains("api-key.revoke", "api-key.create"))
                .body("items.actor", everyItem(is("bootstrap")));
    }

    @Test
    void aRefusedRequestIsRecordedAsDenied() {
        Key viewer = createKey("viewer");
        client(viewer.secret()).body("{\"prompt\": \"p\"}").post("/api/v1/tasks").then().statusCode(403);
        client().get("/api/v1/audit?keyId=" + viewer.id()).then().statusCode(200)
                .body("items.action", contains("request.denied"))
                .body("items.outcome", contains("denied"))
                .body("items.targetId", contains("POST /api/v1/tasks"));
    }

    @Test
    void theLogPagesNewestFirstByCursorAndFiltersByAction() {
        for (int i = 0; i < 3; i++) {
            client().body("{\"prompt\": \"p\"}").post("/api/v1/tasks").then().statusCode(201);
        }
        var first = client().get("/api/v1/audit?action=task.submit&limit=2").then().statusCode(200)
                .body("items.size()", is(2))
                .body("items.action", everyItem(is("task.submit")))
                .body("nextCursor", notNullValue())
                .extract().jsonPath();
        long lastId = first.getLong("items[1].id");
        client().get("/api/v1/audit?action=task.submit&limit=2&cursor=" + first.getString("nextCursor")).then().statusCode(200)
                .body("items.id", everyItem(lessThan((int) lastId)));
        client().get("/api/v1/audit?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z&limit=1").then().statusCode(200)
                .body("items.size()", is(1));
    }

    @Test
    void badFiltersAreNamedAndOnlyAdminsMayRead() {
        client().get("/api/v1/audit?keyId=nope&since=yesterday&cursor=-4").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("keyId"))
                .body("errors.field", hasItem("since"))
                .body("errors.field", hasItem("cursor"));
        client(createKey("viewer").secret()).get("/api/v1/audit").then().statusCode(403);
        client(createKey("submitter").secret()).get("/api/v1/audit").then().statusCode(403);
    }
}
