package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskSubmissionIT {

    @Test
    void aValidTaskIsCreatedQueuedAndCanBeReadBack() {
        ExtractableResponse<Response> created = client()
                .body("""
                        {"prompt": "Summarise the README", "priority": 7, "workingDir": "/srv/app", "timeoutSeconds": 600,
                         "maxTurns": 20, "model": "claude-sonnet-4-5", "pool": "gpu", "metadata": {"team": "docs"}}""")
                .post("/api/v1/tasks")
                .then()
                .statusCode(201)
                .contentType("application/json")
                .body("status", is("QUEUED"))
                .extract();
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/v1/tasks/" + id);

        client().get(created.header("Location")).then()
                .statusCode(200)
                .body("id", is(id))
                .body("prompt", is("Summarise the README"))
                .body("priority", is(7))
                .body("priorityClass", is("P1"))
                .body("status", is("QUEUED"))
                .body("workingDir", is("/srv/app"))
                .body("timeoutSeconds", is(600))
                .body("maxTurns", is(20))
                .body("model", is("claude-sonnet-4-5"))
                .body("pool", is("gpu"))
                .body("metadata.team", is("docs"))
                .body("dependsOn", empty())
                .body("attempts", empty())
                .body("result", nullValue())
                .body("readyAt", notNullValue())
                .body("createdAt", equalTo(created.path("createdAt")))
                .body("links.self", is("/api/v1/tasks/" + id))
                .body("links.logStream", is("/api/v1/tasks/" + id + "/logs/stream"))
                .body("links.cancel", endsWith("/cancel"));
    }

    @Test
    void sessionSettingsAreStoredAndReadBack() {
        String id = client()
                .body("""
                        {"prompt": "Fix the flaky test", "maxBudgetUsd": 2.5, "allowedTools": ["Bash(git:*)", "Edit"],
                         "disallowedTools": ["WebFetch", "Bash(rm:*)"], "appendSystemPrompt": "Never push.\\nAsk nothing.",
                         "permissionMode": "acceptEdits"}""")
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .extract().path("id");

        client().get("/api/v1/tasks/" + id).then()
                .statusCode(200)
                .body("maxBudgetUsd", is(2.5f))
                .body("allowedTools", contains("Bash(git:*)", "Edit"))
                .body("disallowedTools", contains("WebFetch", "Bash(rm:*)"))
                .body("appendSystemPrompt", is("Never push.\nAsk nothing."))
                .body("permissionMode", is("acceptEdits"));
        assertThat(Fixtures.queryString("select max_budget_usd from tasks where id = ?::uuid", id)).isEqualTo("2.5000");
    }

    @Test
    void aTaskWithoutSessionSettingsLeavesThemToTheWorker() {
        String id = client().body("{\"prompt\": \"plain\"}").post("/api/v1/tasks")
                .then().statusCode(201).extract().path("id");

        client().get("/api/v1/tasks/" + id).then()
                .statusCode(200)
                .body("maxBudgetUsd", nullValue())
                .body("allowedTools", empty())
                .body("disallowedTools", empty())
                .body("appendSystemPrompt", nullValue())
                .body("permissionMode", nullValue());
    }

    @Test
    void aPriorityClassNameIsStoredAsItsNumber() {
        String id = client().body("{\"prompt\": \"urgent\", \"priority\": \"P0\"}").post("/api/v1/tasks")
                .then().statusCode(201)
                .body("priority", is(10))
                .body("priorityClass", is("P0"))
                .extract().path("id");
        assertThat(Fixtures.queryString("select priority from tasks where id = ?::uuid", id)).isEqualTo("10");
    }

    @Test
    void aPriorityGivenAsNumericTextIsAccepted() {
        client().body("{\"prompt\": \"low\", \"priority\": \"2\"}").post("/api/v1/tasks")
                .then().statusCode(201)
                .body("priority", is(2))
                .body("priorityClass", is("P3"));
    }

    @Test
    void omittedFieldsGetTheirDefaults() {
        client().body("{\"prompt\": \"just a prompt\"}").post("/api/v1/tasks")
                .then().statusCode(201)
                .body("priority", is(5))
                .body("priorityClass", is("P2"))
                .body("pool", is("default"))
                .body("timeoutSeconds", is(3600))
                .body("maxAttempts", is(3))
                .body("maxTurns", nullValue())
                .body("model", nullValue())
                .body("workingDir", nullValue())
                .body("metadata", anEmptyMap())
                .body("currentAttempt", is(0))
                .body("unmetDependencies", is(0));
    }

    @Test
    void theWorkflowSettingsOfATaskAreStoredAndShown() {
        UUID source = Fixtures.submit("{\"prompt\": \"source\"}");
        UUID other = Fixtures.submit("{\"prompt\": \"other\"}");

        String id = client().body("""
                        {"prompt": "continue", "dependsOn": ["%s"], "continueFrom": "%s", "onDependencyFailure": "Skip",
                         "concurrencyKey": "repo:acme/app", "retry": {"maxAttempts": 6, "initialBackoffSeconds": 5, "maxBackoffSeconds": 120, "onTimeout": true}}"""
                        .formatted(other, source))
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .body("status", is("WAITING"))
                .body("dependsOn", containsInAnyOrder(other.toString(), source.toString()))
                .body("unmetDependencies", is(2))
                .body("continueFrom", is(source.toString()))
                .body("onDependencyFailure", is("skip"))
                .body("concurrencyKey", is("repo:acme/app"))
                .body("maxAttempts", is(6))
                .body("retry.maxAttempts", is(6))
                .body("retry.initialBackoffSeconds", is(5))
                .body("retry.maxBackoffSeconds", is(120))
                .body("retry.onTimeout", is(true))
                .body("waitingReason", is("waiting for 2 of 2 dependencies"))
                .extract().path("id");

        assertThat(Fixtures.queryString("select retry_backoff_ms || ',' || retry_max_backoff_ms || ',' || on_dependency_failure"
                + " from tasks where id = ?::uuid", id)).isEqualTo("5000,120000,SKIP");
    }

    @Test
    void aTaskWithoutWorkflowSettingsShowsTheirDefaults() {
        client().body("{\"prompt\": \"plain\"}").post("/api/v1/tasks")
                .then().statusCode(201)
                .body("onDependencyFailure", is("fail"))
                .body("retry.maxAttempts", is(3))
                .body("retry.initialBackoffSeconds", is(10))
                .body("retry.maxBackoffSeconds", is(600))
                .body("retry.onTimeout", is(false))
                .body("effectivePriority", is(5))
                .body("workflowId", nullValue())
                .body("retryOf", nullValue())
                .body("parentTaskId", nullValue())
                .body("continueFrom", nullValue())
                .body("failureCause", nullValue())
                .body("checkpoint", nullValue())
                .body("links.retry", endsWith("/retry"))
                .body("links.resume", endsWith("/resume"));
    }

    @Test
    void submissionsAreCountedByPriorityClass() {
        Fixtures.submit("{\"prompt\": \"counted\", \"priority\": \"P1\"}");

        io.restassured.RestAssured.given().get("/q/metrics").then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("taskq_tasks_submitted_total{pool=\"default\",priority_class=\"P1\"}"));
    }

    @Test
    void aQueuedTaskIsAnnouncedToDependencyServiceOnCommit() throws Exception {
        try (var connection = PostgresTestResource.connect(); var statement = connection.createStatement()) {
            statement.execute("listen taskq_ready");
            Fixtures.submit("{\"prompt\": \"wake the releaser\"}");
            var notifications = connection.unwrap(org.postgresql.PGConnection.class).getNotifications(5_000);
            assertThat(notifications).isNotEmpty();
        }
    }
}
