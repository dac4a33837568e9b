package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskCancelIT {

    private static final String WORKER_COMMANDS = "taskq.worker-commands";

    @Test
    void aQueuedTaskIsCancelledWithoutBotheringTheWorkers() {
        UUID task = Fixtures.submit("{\"prompt\": \"never mind\"}");

        client().post("/api/v1/tasks/" + task + "/cancel")
                .then().statusCode(200)
                .body("id", is(task.toString()))
                .body("status", is("CANCELLED"))
                .body("statusReason", notNullValue())
                .body("finishedAt", notNullValue());

        assertThat(Fixtures.queryString("select status from tasks where id = ?", task)).isEqualTo("CANCELLED");
        assertThat(TestDatabase.count("select count(*) from outbox where topic = ? and record_key = ?", WORKER_COMMANDS, task.toString()))
                .isZero();
    }

    @Test
    void aRunningTaskIsCancelledAndItsWorkerToldToKillTheSession() throws Exception {
        UUID task = Fixtures.insertTask(TaskStatus.QUEUED);
        Fixtures.makeRunning(task, "worker-a");

        client().post("/api/v1/tasks/" + task + "/cancel")
                .then().statusCode(200)
                .body("status", is("CANCELLED"))
                .body("attempts[0].status", is("CANCELLED"))
                .body("attempts[0].finishedAt", notNullValue())
                .body("attempts[0].workerId", is("worker-a"));

        String payload = Fixtures.queryString("select payload from outbox where topic = ? and record_key = ?", WORKER_COMMANDS, task.toString());
        assertThat(payload).as("a CANCEL command in the outbox").isNotNull();
        JsonNode command = new ObjectMapper().readTree(payload);
        assertThat(command.get("type").asText()).isEqualTo("CANCEL");
        assertThat(command.get("taskId").asText()).isEqualTo(task.toString());
        assertThat(command.get("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void aFinishedTaskCannotBeCancelledAndTheAnswerSaysHowItEnded() {
        UUID task = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        long outboxBefore = TestDatabase.count("outbox");

        client().post("/api/v1/tasks/" + task + "/cancel")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", is("https://taskq.dev/problems/task-finished"))
                .body("detail", containsString("SUCCEEDED"))
                .body("instance", is("/api/v1/tasks/" + task + "/cancel"));

        assertThat(Fixtures.queryString("select status from tasks where id = ?", task)).isEqualTo("SUCCEEDED");
        assertThat(TestDatabase.count("outbox")).isEqualTo(outboxBefore);
    }

    @Test
    void cancellingATaskCancelsEveryTaskWaitingBelowItByDefault() {
        UUID upstream = Fixtures.submit("{\"prompt\": \"first\"}");
        UUID dependent = Fixtures.submit("{\"prompt\": \"second\", \"dependsOn\": [\"" + upstream + "\"]}");
        UUID transitive = Fixtures.submit("{\"prompt\": \"third\", \"dependsOn\": [\"" + dependent + "\"], \"onDependencyFailure\": \"run\"}");

        client().post("/api/v1/tasks/" + upstream + "/cancel").then().statusCode(200);

        client().get("/api/v1/tasks/" + dependent)
                .then().statusCode(200)
                .body("status", is("CANCELLED"))
                .body("statusReason", allOf(containsString(upstream.toString()), containsString("CANCELLED")));
        client().get("/api/v1/tasks/" + transitive)
                .then().statusCode(200)
                .body("status", is("CANCELLED"))
                .body("statusReason", containsString(dependent.toString()));
    }

    @Test
    void withoutCascadeEachDependentReactsByItsOwnFailurePolicy() {
        UUID upstream = Fixtures.submit("{\"prompt\": \"first\"}");
        UUID failing = Fixtures.submit("{\"prompt\": \"fail\", \"dependsOn\": [\"" + upstream + "\"]}");
        UUID skipping = Fixtures.submit("{\"prompt\": \"skip\", \"dependsOn\": [\"" + upstream + "\"], \"onDependencyFailure\": \"skip\"}");
        UUID running = Fixtures.submit("{\"prompt\": \"run\", \"dependsOn\": [\"" + upstream + "\"], \"onDependencyFailure\": \"RUN\"}");
        UUID belowFailing = Fixtures.submit("{\"prompt\": \"below\", \"dependsOn\": [\"" + failing + "\"]}");

        client().queryParam("cascade", false).post("/api/v1/tasks/" + upstream + "/cancel")
                .then().statusCode(200).body("status", is("CANCELLED"));

        assertThat(Fixtures.queryString("select status from tasks where id = ?", failing)).isEqualTo("UPSTREAM_FAILED");
        assertThat(Fixtures.queryString("select status from tasks where id = ?", skipping)).isEqualTo("SKIPPED");
        assertThat(Fixtures.queryString("select status from tasks where id = ?", running)).isEqualTo("QUEUED");
        assertThat(Fixtures.queryString("select status from tasks where id = ?", belowFailing)).isEqualTo("UPSTREAM_FAILED");
        client().get("/api/v1/tasks/" + failing).then()
                .body("statusReason", allOf(containsString(upstream.toString()), containsString("CANCELLED")));
    }

    @Test
    void cascadeThatIsNoBooleanIsABadRequest() {
        UUID task = Fixtures.submit("{\"prompt\": \"p\"}");

        client().queryParam("cascade", "maybe").post("/api/v1/tasks/" + task + "/cancel")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("cascade"));
        assertThat(Fixtures.queryString("select status from tasks where id = ?", task)).isEqualTo("QUEUED");
    }

    @Test
    void cancellingAnUnknownTaskIsNotFound() {
        client().post("/api/v1/tasks/" + UUID.randomUUID() + "/cancel")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", is("https://taskq.dev/problems/task-not-found"));
    }

    @Test
    void anIdThatIsNoUuidIsABadRequest() {
        client().post("/api/v1/tasks/not-a-uuid/cancel")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("id"));
    }
}
