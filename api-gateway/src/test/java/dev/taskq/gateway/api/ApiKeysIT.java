package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static dev.taskq.gateway.Fixtures.count;
import static dev.taskq.gateway.Fixtures.createKey;
import static dev.taskq.gateway.Fixtures.queryString;
import static dev.taskq.gateway.Fixtures.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.taskq.gateway.Fixtures.Key;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API keys and roles: creation (secret shown once), 401 versus 403, pools, ownership, revocation, who submitted. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ApiKeysIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String TASK = "{\"prompt\": \"p\"}";

    @Test
    void anAdminCreatesAKeyWhoseSecretIsShownOnceAndStoredOnlyAsAHash() {
        var created = client().body("{\"name\": \"ci\", \"role\": \"submitter\", \"pools\": [\"gpu\"]}")
                .post("/api/v1/api-keys").then().statusCode(201)
                .header("Location", containsString("/api/v1/api-keys/"))
                .body("secret", matchesPattern("tq_[0-9A-Za-z]{40}"))
                .body("key.role", is("submitter"))
                .body("key.pools", hasItem("gpu"))
                .body("key.active", is(true))
                .extract().jsonPath();
        String secret = created.getString("secret");
        String id = created.getString("key.id");

        client().get("/api/v1/api-keys/" + id).then().statusCode(200)
                .body("prefix", is(secret.substring(0, 11)))
                .body(not(containsString(secret)));
        client().get("/api/v1/api-keys?limit=200").then().statusCode(200)
                .body("items.id", hasItem(id))
                .body(not(containsString(secret)));
        assertThat(queryString("select row_to_json(k)::text from api_keys k where id = ?", UUID.fromString(id)))
                .doesNotContain(secret.substring(3));
    }

    @Test
    void aKeyIsRefusedUnlessItsFieldsAreValidAndNothingIsWritten() {
        long before = count("api_keys");
        client().body("{\"name\": \"\", \"role\": \"root\", \"pools\": [\"\"], \"requestsPerSecond\": -1}")
                .post("/api/v1/api-keys").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("role"))
                .body("errors.field", hasItem("pools[0]"))
                .body("errors.field", hasItem("requestsPerSecond"));
        client().body("{\"name\": \"x\", \"role\": \"viewer\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}")
                .post("/api/v1/api-keys").then().statusCode(400).body("errors.field", hasItem("expiresAt"));
        client().body("{\"name\": \"x\", \"role\": \"viewer\", \"expiresAt\": \"tomorrow\"}")
                .post("/api/v1/api-keys").then().statusCode(400).body("errors.field", hasItem("expiresAt"));
        assertThat(count("api_keys")).isEqualTo(before);
    }

    @Test
    void aViewerReadsButMayNotSubmitEvenWithABrokenBody() {
        Key viewer = createKey("viewer");
        as(viewer).get("/api/v1/tasks").then().statusCode(200);
        as(viewer).body(TASK).post("/api/v1/tasks").then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", endsWith("/forbidden"))
                .body("detail", containsString("submitter"));
        // The role is checked before the body is read.
        as(viewer).body("{not json").post("/api/v1/tasks").then().statusCode(403);
        as(viewer).get("/api/v1/api-keys").then().statusCode(403);
    }

    @Test
    void aWorkerKeyReachesNoUserEndpoint() {
        Key worker = createKey("worker");
        as(worker).get("/api/v1/tasks").then().statusCode(403).contentType(PROBLEM_JSON);
        as(worker).get("/api/v1/workers").then().statusCode(403);
        as(worker).body(TASK).post("/api/v1/tasks").then().statusCode(403);
    }

    @Test
    void aSubmitterSubmitsAndTheTaskRecordsWhoDid() {
        Key submitter = createKey("submitter");
        String id = as(submitter).body(TASK).post("/api/v1/tasks").then().statusCode(201)
                .body("submittedBy.keyId", is(submitter.id().toString()))
                .body("submittedBy.name", startsWith("submitter-"))
                .extract().path("id");
        client().get("/api/v1/tasks?limit=200").then().statusCode(200)
                .body("items.find { it.id == '" + id + "' }.submittedBy.keyId", is(submitter.id().toString()));
        client().body(TASK).post("/api/v1/tasks").then().statusCode(201)
                .body("submittedBy.keyId", nullValue())
                .body("submittedBy.name", is("bootstrap"));
    }

    @Test
    void aSubmitterMayNotTouchAdminEndpoints() {
        Key submitter = createKey("submitter");
        as(submitter).body("{\"name\": \"x\", \"role\": \"admin\"}").post("/api/v1/api-keys").then().statusCode(403);
        as(submitter).get("/api/v1/notification-destinations").then().statusCode(403);
        as(submitter).get("/api/v1/subscriptions").then().statusCode(403);
        as(submitter).get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    void aSubmitterLimitedToPoolsMayNotSubmitIntoAnotherAndNothingIsWritten() {
        Key limited = createKey("submitter", "\"pools\": [\"pool-a\"]");
        as(limited).body("{\"prompt\": \"p\", \"pool\": \"pool-a\"}").post("/api/v1/tasks").then().statusCode(201);
        long tasks = count("tasks");
        as(limited).body("{\"prompt\": \"p\", \"pool\": \"pool-b\"}").post("/api/v1/tasks").then().statusCode(403)
                .contentType(PROBLEM_JSON).body("detail", containsString("pool-b"));
        as(limited).body("{\"prompt\": \"p\"}").post("/api/v1/tasks").then().statusCode(403);
        as(limited).body("{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\", \"pool\": \"pool-b\"}]}")
                .post("/api/v1/workflows").then().statusCode(403);
        as(limited).body("{\"name\": \"s\", \"cron\": \"0 * * * *\", \"task\": {\"prompt\": \"p\", \"pool\": \"pool-b\"}}")
                .post("/api/v1/schedules").then().statusCode(403);
        assertThat(count("tasks")).isEqualTo(tasks);
    }

    @Test
    void aSubmitterActsOnItsOwnTasksOnlyAndAnAdminOnAny() {
        Key alice = createKey("submitter");
        Key bob = createKey("submitter");
        String alices = as(alice).body(TASK).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        as(bob).post("/api/v1/tasks/" + alices + "/cancel").then().statusCode(403).contentType(PROBLEM_JSON)
                .body("detail", containsString("was not submitted by"));
        as(bob).get("/api/v1/tasks/" + alices).then().statusCode(200).body("status", is("QUEUED"));
        as(alice).post("/api/v1/tasks/" + alices + "/cancel").then().statusCode(200).body("status", is("CANCELLED"));

        String another = as(alice).body(TASK).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        client().post("/api/v1/tasks/" + another + "/cancel").then().statusCode(200);
        // An unknown task is a 404 for a submitter too, not a 403.
        as(bob).post("/api/v1/tasks/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void aSubmitterManagesItsOwnSchedulesOnlyAndAnAdminAny() {
        Key alice = createKey("submitter");
        Key bob = createKey("submitter");
        String schedule = "{\"name\": \"nightly\", \"cron\": \"0 3 * * *\", \"task\": {\"prompt\": \"p\"}}";
        String alices = as(alice).body(schedule).post("/api/v1/schedules").then().statusCode(201)
                .body("createdBy.keyId", is(alice.id().toString()))
                .extract().path("id");

        as(bob).post("/api/v1/schedules/" + alices + "/pause").then().statusCode(403).contentType(PROBLEM_JSON)
                .body("detail", containsString("schedule " + alices));
        as(bob).post("/api/v1/schedules/" + alices + "/cancel").then().statusCode(403);
        as(bob).get("/api/v1/schedules/" + alices).then().statusCode(200).body("status", is("ACTIVE"));
        as(alice).post("/api/v1/schedules/" + alices + "/pause").then().statusCode(200).body("status", is("PAUSED"));
        client().post("/api/v1/schedules/" + alices + "/cancel").then().statusCode(200).body("status", is("CANCELLED"));

        // A bootstrap token's schedule has no owner key: it belongs to admins.
        String admins = client().body(schedule).post("/api/v1/schedules").then().statusCode(201)
                .body("createdBy.keyId", nullValue()).body("createdBy.name", is("bootstrap"))
                .extract().path("id");
        as(alice).post("/api/v1/schedules/" + admins + "/pause").then().statusCode(403);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceWithAChallenge() {
        Key key = createKey("viewer");
        as(key).get("/api/v1/tasks").then().statusCode(200);
        client().delete("/api/v1/api-keys/" + key.id()).then().statusCode(200)
                .body("revokedAt", notNullValue()).body("active", is(false));
        as(key).get("/api/v1/tasks").then().statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body(not(containsString(key.secret())));
        // Revoking again changes nothing; POST …/revoke is the same operation.
        client().post("/api/v1/api-keys/" + key.id() + "/revoke").then().statusCode(200).body("active", is(false));
        client().delete("/api/v1/api-keys/" + UUID.randomUUID()).then().statusCode(404).body("type", endsWith("/api-key-not-found"));
        client().delete("/api/v1/api-keys/not-a-uuid").then().statusCode(400).body("errors.field", hasItem("id"));
    }

    @Test
    void anExpiredKeyIsUnauthorized() {
        Key key = createKey("viewer", "\"expiresAt\": \"2099-01-01T00:00:00Z\"");
        // Expired before its first use, so no replica has it cached.
        update("update api_keys set expires_at = now() - interval '1 second' where id = ?", key.id());
        as(key).get("/api/v1/tasks").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
        client().get("/api/v1/api-keys/" + key.id()).then().statusCode(200).body("active", is(false));
    }

    @Test
    void aKeyThatWasNeverIssuedIsUnauthorized() {
        given().auth().oauth2("tq_" + "A".repeat(40)).get("/api/v1/tasks").then().statusCode(401).contentType(PROBLEM_JSON);
        given().auth().oauth2("").get("/api/v1/tasks").then().statusCode(401);
        given().header("Authorization", "Bearer").get("/api/v1/tasks").then().statusCode(401);
    }

    @Test
    void aKeyRecordsWhenItWasLastUsed() {
        Key key = createKey("viewer");
        client().get("/api/v1/api-keys/" + key.id()).then().body("lastUsedAt", nullValue());
        as(key).get("/api/v1/tasks").then().statusCode(200);
        client().get("/api/v1/api-keys/" + key.id()).then().body("lastUsedAt", notNullValue());
    }

    @Test
    void listingKeysPagesNewestFirst() {
        createKey("viewer");
        createKey("viewer");
        var first = client().get("/api/v1/api-keys?limit=1").then().statusCode(200)
                .body("items.size()", is(1)).body("nextCursor", notNullValue()).extract().jsonPath();
        client().get("/api/v1/api-keys?limit=1&cursor=" + first.getString("nextCursor")).then().statusCode(200)
                .body("items.id", everyItem(not(is(first.getString("items[0].id")))));
        client().get("/api/v1/api-keys?limit=0").then().statusCode(400).body("errors.field", hasItem("limit"));
        client().get("/api/v1/api-keys?cursor=zzz").then().statusCode(400).body("errors.field", hasItem("cursor"));
    }

    static RequestSpecification as(Key key) {
        return client(key.secret());
    }
}
