package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A manual retry is a new task that names the one it repeats; the tasks that never ran because of it come back too. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskRetryIT {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void retryingAFailedTaskCreatesANewTaskWithItsSpecAndLineage() {
        UUID done = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        UUID original = Fixtures.submit("""
                {"prompt": "build it", "priority": "P1", "pool": "builders", "workingDir": "/srv/app", "dependsOn": ["%s"],
                 "concurrencyKey": "repo:app", "metadata": {"team": "ci"}, "retry": {"maxAttempts": 5, "initialBackoffSeconds": 2}}"""
                .formatted(done));
        Fixtures.setStatus(original, TaskStatus.FAILED);

        ExtractableResponse<Response> retried = client().body("{\"additionalContext\": \"Use the cached toolchain.\"}")
                .post("/api/v1/tasks/" + original + "/retry")
                .then().statusCode(201)
                .body("task.retryOf", is(original.toString()))
                .body("task.prompt", is("build it\n\nUse the cached toolchain."))
                .body("task.priority", is(8))
                .body("task.pool", is("builders"))
                .body("task.workingDir", is("/srv/app"))
                .body("task.concurrencyKey", is("repo:app"))
                .body("task.metadata.team", is("ci"))
                .body("task.retry.maxAttempts", is(5))
                .body("task.retry.initialBackoffSeconds", is(2))
                .body("task.dependsOn", contains(done.toString()))
                .body("task.status", is("QUEUED"))
                .body("recreatedDependents", empty())
                .extract();
        String retryId = retried.path("task.id");
        assertThat(retryId).isNotEqualTo(original.toString());
        assertThat(retried.header("Location")).endsWith("/api/v1/tasks/" + retryId);
        client().get("/api/v1/tasks/" + original).then().body("status", is("FAILED"));
    }

    @Test
    void theDependentsThatNeverRanBecauseOfItAreRecreatedOnTheNewTask() {
        UUID failed = Fixtures.insertTask(TaskStatus.FAILED);
        UUID sibling = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        // Created after their dependency failed, so each ends UPSTREAM_FAILED at once, naming the task above it.
        UUID child = Fixtures.submit("{\"prompt\": \"child\", \"dependsOn\": [\"" + failed + "\", \"" + sibling + "\"]}");
        UUID grandchild = Fixtures.submit("{\"prompt\": \"grandchild\", \"dependsOn\": [\"" + child + "\"], \"continueFrom\": \"" + child + "\"}");
        UUID skipped = Fixtures.submit("{\"prompt\": \"optional\", \"dependsOn\": [\"" + failed + "\"], \"onDependencyFailure\": \"skip\"}");
        assertThat(Fixtures.queryString("select status from tasks where id = ?", grandchild)).isEqualTo("UPSTREAM_FAILED");

        ExtractableResponse<Response> retried = client().post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(201)
                .body("task.retryOf", is(failed.toString()))
                .body("recreatedDependents", hasSize(3))
                .body("recreatedDependents.retryOf", containsInAnyOrder(child.toString(), grandchild.toString(), skipped.toString()))
                .extract();
        String newRoot = retried.path("task.id");
        List<Map<String, String>> recreated = retried.path("recreatedDependents");
        String newChild = idReplacing(recreated, child);
        String newGrandchild = idReplacing(recreated, grandchild);

        client().get("/api/v1/tasks/" + newChild).then().statusCode(200)
                .body("status", is("WAITING"))
                .body("retryOf", is(child.toString()))
                .body("dependsOn", containsInAnyOrder(newRoot, sibling.toString()))
                .body("unmetDependencies", is(1));
        client().get("/api/v1/tasks/" + newGrandchild).then().statusCode(200)
                .body("status", is("WAITING"))
                .body("dependsOn", contains(newChild))
                .body("continueFrom", is(newChild));
        client().get("/api/v1/tasks/" + idReplacing(recreated, skipped)).then()
                .body("onDependencyFailure", is("skip"))
                .body("dependsOn", contains(newRoot));
    }

    @Test
    void withoutIncludeDependentsOnlyTheTaskItselfIsRetried() {
        UUID failed = Fixtures.insertTask(TaskStatus.TIMED_OUT);
        UUID child = Fixtures.submit("{\"prompt\": \"child\", \"dependsOn\": [\"" + failed + "\"]}");
        long before = TestDatabase.count("tasks");

        client().body("{\"includeDependents\": false}").post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(201)
                .body("recreatedDependents", empty());

        assertThat(TestDatabase.count("tasks")).isEqualTo(before + 1);
        assertThat(TestDatabase.count("select count(*) from tasks where retry_of = ?", child)).isZero();
    }

    @Test
    void aDependentTheUserCancelledIsNotRecreated() {
        UUID upstream = Fixtures.submit("{\"prompt\": \"up\"}");
        UUID wanted = Fixtures.submit("{\"prompt\": \"wanted\", \"dependsOn\": [\"" + upstream + "\"]}");
        UUID unwanted = Fixtures.submit("{\"prompt\": \"unwanted\", \"dependsOn\": [\"" + upstream + "\"]}");
        client().post("/api/v1/tasks/" + unwanted + "/cancel").then().statusCode(200);
        client().queryParam("cascade", false).post("/api/v1/tasks/" + upstream + "/cancel").then().statusCode(200);

        client().post("/api/v1/tasks/" + upstream + "/retry")
                .then().statusCode(201)
                .body("recreatedDependents.retryOf", contains(wanted.toString()));
    }

    @Test
    void retryingATaskOfAWorkflowAddsTheNewTasksToItAndReopensIt() {
        ExtractableResponse<Response> workflow = client().body("""
                        {"tasks": [
                          {"ref": "a", "prompt": "p"},
                          {"ref": "b", "prompt": "p", "dependsOn": ["a"]},
                          {"ref": "c", "prompt": "p", "dependsOn": ["b"]}
                        ]}""")
                .post("/api/v1/workflows").then().statusCode(201).extract();
        String workflowId = workflow.path("id");
        String a = workflow.path("tasks[0].id");
        client().queryParam("cascade", false).post("/api/v1/tasks/" + a + "/cancel").then().statusCode(200);
        client().get("/api/v1/workflows/" + workflowId).then()
                .body("status", is("FAILED"))
                .body("tasks.status", contains("CANCELLED", "UPSTREAM_FAILED", "UPSTREAM_FAILED"));

        client().post("/api/v1/tasks/" + a + "/retry")
                .then().statusCode(201)
                .body("task.workflowId", is(workflowId))
                .body("task.workflowRef", is("a#2"))
                .body("recreatedDependents.workflowRef", containsInAnyOrder("b#2", "c#2"));

        client().get("/api/v1/workflows/" + workflowId).then().statusCode(200)
                .body("status", is("RUNNING"))
                .body("unfinishedTasks", is(3))
                .body("finishedAt", nullValue())
                .body("tasks", hasSize(6))
                .body("tasks.find { it.ref == 'c#2' }.dependsOn", contains("b#2"))
                .body("tasks.find { it.ref == 'b#2' }.retryOf", is(workflow.<String>path("tasks[1].id")))
                .body("edges.find { it.to == 'b#2' }.from", is("a#2"));
    }

    @Test
    void anUnfinishedTaskCannotBeRetried() {
        UUID queued = Fixtures.submit("{\"prompt\": \"still queued\"}");

        client().post("/api/v1/tasks/" + queued + "/retry")
                .then().statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/task-not-retryable"))
                .body("detail", allOf(containsString("QUEUED"), containsString("has not ended")));
        assertThat(TestDatabase.count("select count(*) from tasks where retry_of = ?", queued)).isZero();
    }

    @Test
    void aSucceededTaskCannotBeRetried() {
        UUID done = Fixtures.insertTask(TaskStatus.SUCCEEDED);

        client().post("/api/v1/tasks/" + done + "/retry")
                .then().statusCode(409)
                .body("type", is("https://taskq.dev/problems/task-not-retryable"))
                .body("detail", containsString("SUCCEEDED"));
    }

    @Test
    void aTaskThatNeverRanBecauseOfAnotherPointsAtTheTaskToRetryInstead() {
        UUID failed = Fixtures.insertTask(TaskStatus.FAILED);
        UUID child = Fixtures.submit("{\"prompt\": \"child\", \"dependsOn\": [\"" + failed + "\"]}");
        UUID grandchild = Fixtures.submit("{\"prompt\": \"grandchild\", \"dependsOn\": [\"" + child + "\"], \"onDependencyFailure\": \"skip\"}");

        client().post("/api/v1/tasks/" + child + "/retry")
                .then().statusCode(409)
                .body("detail", allOf(containsString("UPSTREAM_FAILED"), containsString("retry the upstream task " + failed)));
        client().post("/api/v1/tasks/" + grandchild + "/retry")
                .then().statusCode(409)
                .body("detail", allOf(containsString("SKIPPED"), containsString("retry the upstream task " + failed)));
    }

    @Test
    void aTaskIsRetriedByHandOnlyOnceAndTheAnswerNamesItsRetry() {
        UUID failed = Fixtures.insertTask(TaskStatus.FAILED);
        String retry = client().post("/api/v1/tasks/" + failed + "/retry").then().statusCode(201).extract().path("task.id");

        client().post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/task-already-retried"))
                .body("detail", containsString(retry));
        assertThat(TestDatabase.count("select count(*) from tasks where retry_of = ?", failed)).isEqualTo(1);
    }

    @Test
    void retryAndResumeNeedNoBodyAtAll() {
        UUID failed = Fixtures.insertTask(TaskStatus.FAILED);

        io.restassured.RestAssured.given().auth().oauth2(Fixtures.TOKEN).post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(201)
                .body("task.prompt", is("inserted by a test"));
        io.restassured.RestAssured.given().auth().oauth2(Fixtures.TOKEN).post("/api/v1/tasks/" + failed + "/resume")
                .then().statusCode(409);
    }

    @Test
    void aRetryBodyThatIsNotValidJsonOrHasAnUnknownFieldIsABadRequest() {
        UUID failed = Fixtures.insertTask(TaskStatus.FAILED);

        client().body("{\"additionalContext\": ").post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(400).body("type", is("https://taskq.dev/problems/malformed-json"));
        client().body("{\"context\": \"x\"}").post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(400).body("errors[0].field", is("context"));
        client().body("{\"includeDependents\": \"sometimes\"}").post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(400).body("errors[0].field", is("includeDependents"));
        client().body("{\"additionalContext\": 42}").post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(400).body("errors[0].field", is("additionalContext"))
                .body("errors[0].message", is("must be a string"));
        client().contentType("text/plain").body("again").post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(415);
        assertThat(TestDatabase.count("select count(*) from tasks where retry_of = ?", failed)).isZero();
    }

    @Test
    void retryingAnUnknownTaskIsNotFound() {
        client().post("/api/v1/tasks/" + UUID.randomUUID() + "/retry").then().statusCode(404)
                .body("type", is("https://taskq.dev/problems/task-not-found"));
    }

    @Test
    void resumingATaskThatRanContinuesItsSessionOnItsWorker() {
        UUID task = Fixtures.submit("{\"prompt\": \"long job\", \"workingDir\": \"/srv/app\", \"pool\": \"gpu\", \"model\": \"claude-opus-4\","
                + " \"maxTurns\": 40, \"timeoutSeconds\": 900, \"metadata\": {\"k\": \"v\"}}");
        Fixtures.makeRunning(task, "worker-7");
        Fixtures.setStatus(task, TaskStatus.TIMED_OUT);
        String session = Fixtures.queryString("select session_id from task_attempts where task_id = ? and attempt = 1", task);

        ExtractableResponse<Response> resumed = client().post("/api/v1/tasks/" + task + "/resume")
                .then().statusCode(201)
                .body("parentTaskId", is(task.toString()))
                .body("resumeSessionId", is(session))
                .body("prompt", is("Continue where you left off."))
                .body("workingDir", is("/srv/app"))
                .body("pool", is("gpu"))
                .body("model", is("claude-opus-4"))
                .body("maxTurns", is(40))
                .body("timeoutSeconds", is(900))
                .body("metadata.k", is("v"))
                .body("dependsOn", empty())
                .body("status", is("QUEUED"))
                .extract();
        assertThat(Fixtures.queryString("select resume_worker_id from tasks where id = ?::uuid", resumed.<String>path("id")))
                .isEqualTo("worker-7");

        client().body("{\"additionalContext\": \"Now write the tests.\"}").post("/api/v1/tasks/" + task + "/resume")
                .then().statusCode(201)
                .body("prompt", is("Now write the tests."))
                .body("id", not(is(resumed.<String>path("id"))));
    }

    @Test
    void aTaskThatNeverStartedASessionCannotBeResumed() {
        UUID cancelled = Fixtures.submit("{\"prompt\": \"never ran\"}");
        client().post("/api/v1/tasks/" + cancelled + "/cancel").then().statusCode(200);

        client().post("/api/v1/tasks/" + cancelled + "/resume")
                .then().statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/task-not-resumable"))
                .body("detail", containsString("without ever starting a session"));
        assertThat(TestDatabase.count("select count(*) from tasks where parent_task_id = ?", cancelled)).isZero();
    }

    @Test
    void aTaskStillRunningCannotBeResumed() {
        UUID running = Fixtures.submit("{\"prompt\": \"busy\"}");
        Fixtures.makeRunning(running, "worker-8");

        client().post("/api/v1/tasks/" + running + "/resume")
                .then().statusCode(409)
                .body("detail", containsString("RUNNING"));
    }

    private static String idReplacing(List<Map<String, String>> recreated, UUID old) {
        return recreated.stream().filter(entry -> entry.get("retryOf").equals(old.toString())).findFirst().orElseThrow().get("id");
    }
}
