package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.common.json.EventJson;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WorkflowApiIT {

    private static final String PATH = "/api/v1/workflows";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDiamondIsCreatedWithItsRootQueuedAndTheRestWaitingInRequestOrder() {
        ExtractableResponse<Response> created = client().body("""
                        {"name": "diamond", "metadata": {"team": "infra"}, "tasks": [
                          {"ref": "fetch", "prompt": "fetch the data"},
                          {"ref": "left", "prompt": "left half", "dependsOn": ["fetch"]},
                          {"ref": "right", "prompt": "right half", "dependsOn": ["fetch"], "onDependencyFailure": "skip"},
                          {"ref": "merge", "prompt": "merge", "dependsOn": ["left", "right"], "continueFrom": "left"}
                        ]}""")
                .post(PATH)
                .then().statusCode(201)
                .contentType("application/json")
                .body("name", is("diamond"))
                .body("status", is("RUNNING"))
                .body("unfinishedTasks", is(4))
                .body("metadata.team", is("infra"))
                .body("createdAt", notNullValue())
                .body("finishedAt", nullValue())
                .body("tasks.ref", contains("fetch", "left", "right", "merge"))
                .body("tasks.status", contains("QUEUED", "WAITING", "WAITING", "WAITING"))
                .body("tasks[3].dependsOn", contains("left", "right"))
                .body("tasks[2].onDependencyFailure", is("skip"))
                .body("tasks[0].onDependencyFailure", is("fail"))
                .body("edges", hasSize(4))
                .extract();
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith(PATH + "/" + id);
        List<Map<String, String>> edges = created.path("edges");
        assertThat(edges).containsExactlyInAnyOrder(edge("fetch", "left"), edge("fetch", "right"), edge("left", "merge"),
                edge("right", "merge"));

        ValidatableResponse read = client().get(created.header("Location")).then().statusCode(200)
                .body("id", is(id))
                .body("tasks.ref", contains("fetch", "left", "right", "merge"))
                .body("tasks.status", contains("QUEUED", "WAITING", "WAITING", "WAITING"))
                .body("tasks[3].dependsOn", contains("left", "right"));
        assertThat(read.extract().<List<Map<String, String>>>path("edges")).containsExactlyInAnyOrderElementsOf(edges);

        String merge = created.path("tasks[3].id");
        client().get("/api/v1/tasks/" + merge).then().statusCode(200)
                .body("workflowId", is(id))
                .body("workflowRef", is("merge"))
                .body("continueFrom", is(created.<String>path("tasks[1].id")))
                .body("unmetDependencies", is(2))
                .body("waitingReason", is("waiting for 2 of 2 dependencies"));
    }

    @Test
    void aWorkflowTaskCarriesItsSessionSettingsAndBadOnesAreNamed() {
        String id = client().body("""
                        {"tasks": [
                          {"ref": "plan", "prompt": "plan the change", "permissionMode": "plan", "maxBudgetUsd": 0.75,
                           "allowedTools": ["Read", "Grep"], "disallowedTools": ["Bash"], "appendSystemPrompt": "Only plan."},
                          {"ref": "do", "prompt": "do it", "dependsOn": ["plan"]}
                        ]}""")
                .post(PATH)
                .then().statusCode(201)
                .extract().path("tasks[0].id");
        client().get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("permissionMode", is("plan"))
                .body("maxBudgetUsd", is(0.75f))
                .body("allowedTools", contains("Read", "Grep"))
                .body("disallowedTools", contains("Bash"))
                .body("appendSystemPrompt", is("Only plan."));

        long tasksBefore = TestDatabase.count("tasks");
        client().body("""
                        {"tasks": [
                          {"ref": "a", "prompt": "p", "allowedTools": ["Edit", ""]},
                          {"ref": "b", "prompt": "p", "permissionMode": "sometimes", "maxBudgetUsd": -1}
                        ]}""")
                .post(PATH)
                .then().statusCode(422)
                .body("errors.field", hasItem("tasks[0].allowedTools[1]"))
                .body("errors.field", hasItem("tasks[1].permissionMode"))
                .body("errors.field", hasItem("tasks[1].maxBudgetUsd"));
        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @Test
    void aFanOutAndFanInKeepsEveryEdge() {
        List<Map<String, Object>> tasks = new ArrayList<>();
        tasks.add(node("root"));
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(node("branch-" + i, "root"));
            branches.add("branch-" + i);
        }
        tasks.add(node("sink", branches.toArray(String[]::new)));

        String id = client().body(body(tasks)).post(PATH)
                .then().statusCode(201)
                .body("tasks", hasSize(22))
                .body("edges", hasSize(40))
                .body("tasks[21].dependsOn", hasSize(20))
                .extract().path("id");

        client().get(PATH + "/" + id).then().statusCode(200)
                .body("tasks[0].ref", is("root"))
                .body("tasks[21].ref", is("sink"))
                .body("tasks[21].dependsOn", hasSize(20))
                .body("edges", hasSize(40));
        assertThat(TestDatabase.count("select count(*) from tasks where workflow_id = ?::uuid", id)).isEqualTo(22);
        assertThat(TestDatabase.count("""
                select count(*) from task_dependencies d join tasks t on t.id = d.task_id where t.workflow_id = ?::uuid""", id))
                .isEqualTo(40);
    }

    @Test
    void aCycleIsRejectedNamingItInOrderAndNothingIsWritten() {
        long tasksBefore = TestDatabase.count("tasks");
        long workflowsBefore = TestDatabase.count("workflows");
        long edgesBefore = TestDatabase.count("task_dependencies");

        client().body("""
                        {"tasks": [
                          {"ref": "start", "prompt": "p"},
                          {"ref": "a", "prompt": "p", "dependsOn": ["start", "c"]},
                          {"ref": "b", "prompt": "p", "dependsOn": ["a"]},
                          {"ref": "c", "prompt": "p", "dependsOn": ["b"]}
                        ]}""")
                .post(PATH)
                .then().statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/invalid-workflow"))
                .body("errors.field", contains("tasks"))
                .body("errors[0].message", containsString("a → b → c → a"))
                .body("detail", containsString("nothing was written"));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
        assertThat(TestDatabase.count("workflows")).isEqualTo(workflowsBefore);
        assertThat(TestDatabase.count("task_dependencies")).isEqualTo(edgesBefore);
    }

    @Test
    void aDependencyThatIsNeitherARefNorATaskIdIsRejectedWithNothingWritten() {
        long tasksBefore = TestDatabase.count("tasks");
        long workflowsBefore = TestDatabase.count("workflows");

        client().body("""
                        {"tasks": [
                          {"ref": "a", "prompt": "p"},
                          {"ref": "b", "prompt": "p", "dependsOn": ["a", "x"], "continueFrom": "nowhere"}
                        ]}""")
                .post(PATH)
                .then().statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("errors.find { it.field == 'tasks[1].dependsOn[1]' }.message",
                        is("'x' is not a task of this workflow nor a task id"))
                .body("errors.field", hasItem("tasks[1].continueFrom"));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
        assertThat(TestDatabase.count("workflows")).isEqualTo(workflowsBefore);
    }

    @Test
    void everyProblemOfTheGraphAndItsTasksIsNamedInOneAnswer() {
        UUID unknown = UUID.randomUUID();
        long tasksBefore = TestDatabase.count("tasks");

        client().body("""
                        {"tasks": [
                          {"ref": "a", "prompt": "p"},
                          {"ref": "a", "prompt": "p"},
                          {"ref": "b", "prompt": "", "dependsOn": ["%s"], "priority": "P9", "retry": {"maxAttempts": 50}},
                          {"ref": "bad ref", "prompt": "p", "onDependencyFailure": "maybe", "concurrencyKey": ""},
                          null
                        ]}""".formatted(unknown))
                .post(PATH)
                .then().statusCode(422)
                .body("errors.field", hasItem("tasks[1].ref"))
                .body("errors.field", hasItem("tasks[2].prompt"))
                .body("errors.field", hasItem("tasks[2].priority"))
                .body("errors.field", hasItem("tasks[2].retry.maxAttempts"))
                .body("errors.field", hasItem("tasks[2].dependsOn[0]"))
                .body("errors.find { it.field == 'tasks[2].dependsOn[0]' }.message", containsString("no task exists with id " + unknown))
                .body("errors.field", hasItem("tasks[3].ref"))
                .body("errors.field", hasItem("tasks[3].onDependencyFailure"))
                .body("errors.field", hasItem("tasks[3].concurrencyKey"))
                .body("errors.field", hasItem("tasks[4]"))
                .body("errors.find { it.field == 'tasks[1].ref' }.message", containsString("tasks[0]"));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @Test
    void aCycleThroughContinueFromIsRejectedToo() {
        client().body("""
                        {"tasks": [
                          {"ref": "a", "prompt": "p", "continueFrom": "b"},
                          {"ref": "b", "prompt": "p", "dependsOn": ["a"]}
                        ]}""")
                .post(PATH)
                .then().statusCode(422)
                .body("errors.field", contains("tasks"))
                .body("errors[0].message", containsString("a → b → a"));
    }

    @Test
    void continueFromAnExistingTaskMakesItADependency() {
        UUID done = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        UUID unknown = UUID.randomUUID();

        String id = client().body("""
                        {"tasks": [{"ref": "next", "prompt": "p", "continueFrom": "%s"}]}""".formatted(done))
                .post(PATH)
                .then().statusCode(201)
                .body("tasks[0].status", is("QUEUED"))
                .body("tasks[0].dependsOn", contains(done.toString()))
                .extract().path("tasks[0].id");
        client().get("/api/v1/tasks/" + id).then().body("continueFrom", is(done.toString()));

        client().body("""
                        {"tasks": [{"ref": "next", "prompt": "p", "continueFrom": "%s"}]}""".formatted(unknown))
                .post(PATH)
                .then().statusCode(422)
                .body("errors.field", contains("tasks[0].continueFrom"))
                .body("errors[0].message", containsString(unknown.toString()));
    }

    @Test
    void noTasksOrAMissingBodyIsRejected() {
        client().body("{\"tasks\": []}").post(PATH).then().statusCode(422).body("errors[0].field", is("tasks"));
        client().body("{\"name\": \"empty\"}").post(PATH).then().statusCode(422).body("errors[0].field", is("tasks"));
        client().post(PATH).then().statusCode(422).contentType(PROBLEM_JSON);
    }

    @Test
    void aDependencyOnAnExistingSucceededTaskIsMetAtOnce() {
        UUID done = Fixtures.insertTask(TaskStatus.SUCCEEDED);

        client().body("""
                        {"tasks": [
                          {"ref": "after", "prompt": "p", "dependsOn": ["%s"]},
                          {"ref": "later", "prompt": "p", "dependsOn": ["after"]}
                        ]}""".formatted(done))
                .post(PATH)
                .then().statusCode(201)
                .body("tasks.status", contains("QUEUED", "WAITING"))
                .body("tasks[0].dependsOn", contains(done.toString()))
                .body("edges.find { it.to == 'after' }.from", is(done.toString()));
    }

    @Test
    void aDependencyOnAnExistingFailedTaskIsMetByEachTasksPolicy() {
        UUID failed = Fixtures.insertTask(TaskStatus.FAILED);

        String id = client().body("""
                        {"tasks": [
                          {"ref": "strict", "prompt": "p", "dependsOn": ["%1$s"]},
                          {"ref": "optional", "prompt": "p", "dependsOn": ["%1$s"], "onDependencyFailure": "skip"},
                          {"ref": "cleanup", "prompt": "p", "dependsOn": ["%1$s"], "onDependencyFailure": "run"},
                          {"ref": "after-strict", "prompt": "p", "dependsOn": ["strict"]}
                        ]}""".formatted(failed))
                .post(PATH)
                .then().statusCode(201)
                .body("tasks.status", contains("UPSTREAM_FAILED", "SKIPPED", "QUEUED", "UPSTREAM_FAILED"))
                .body("tasks[0].statusReason", allOf(containsString(failed.toString()), containsString("FAILED")))
                .body("tasks[3].statusReason", containsString("strict"))
                .body("unfinishedTasks", is(1))
                .extract().path("id");

        client().get(PATH + "/" + id).then().body("unfinishedTasks", is(1)).body("status", is("RUNNING"));
    }

    @Test
    void aWorkflowIsListedNewestFirstAPageAtATime() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.addFirst(client().body(body(List.of(node("only")))).post(PATH).then().statusCode(201).extract().path("id"));
        }

        JsonPath first = client().queryParam("limit", 2).get(PATH).then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.id", String.class)).containsExactlyElementsOf(created.subList(0, 2));
        JsonPath second = client().queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .get(PATH).then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("items.id", String.class)).first().isEqualTo(created.get(2));

        client().queryParam("status", "NOT_A_STATUS").get(PATH).then().statusCode(400).body("errors[0].field", is("status"));
        client().queryParam("status", "RUNNING").queryParam("limit", 1).get(PATH).then().statusCode(200)
                .body("items[0].status", is("RUNNING"))
                .body("items[0].links.self", containsString(PATH + "/"));
    }

    @Test
    void cancellingAWorkflowCancelsEveryUnfinishedTaskAndThenItIsFinished() {
        UUID done = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        ExtractableResponse<Response> created = client().body("""
                        {"tasks": [
                          {"ref": "a", "prompt": "p", "dependsOn": ["%s"]},
                          {"ref": "b", "prompt": "p", "dependsOn": ["a"]},
                          {"ref": "c", "prompt": "p"}
                        ]}""".formatted(done))
                .post(PATH).then().statusCode(201).extract();
        String id = created.path("id");
        UUID running = UUID.fromString(created.path("tasks[2].id"));
        Fixtures.makeRunning(running, "worker-w");

        client().post(PATH + "/" + id + "/cancel")
                .then().statusCode(200)
                .body("status", is("CANCELLED"))
                .body("unfinishedTasks", is(0))
                .body("finishedAt", notNullValue())
                .body("tasks.status", everyItem(is("CANCELLED")));

        assertThat(TestDatabase.count("select count(*) from outbox where topic = 'taskq.worker-commands' and record_key = ?",
                running.toString())).isEqualTo(1);
        // The workflow's outcome is announced once, in the cancel's transaction, for the notifier.
        assertThat(TestDatabase.count("select count(*) from outbox where topic = 'taskq.workflow-lifecycle' and record_key = ?", id))
                .isEqualTo(1);
        WorkflowFinishedEvent finished = EventJson.fromJson(Fixtures.queryString(
                "select payload from outbox where topic = 'taskq.workflow-lifecycle' and record_key = ?", id), WorkflowFinishedEvent.class);
        assertThat(finished.workflowId()).hasToString(id);
        assertThat(finished.status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(List.of(finished.taskCount(), finished.cancelledCount(), finished.succeededCount(), finished.failedCount()))
                .containsExactly(3, 3, 0, 0);
        assertThat(finished.reason()).contains("task a (").contains("ended CANCELLED");
        assertThat(finished.finishedAt()).isNotNull();
        client().post(PATH + "/" + id + "/cancel")
                .then().statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/workflow-finished"))
                .body("detail", containsString("CANCELLED"));
    }

    @Test
    void anUnknownWorkflowIsNotFoundAndABadIdABadRequest() {
        UUID unknown = UUID.randomUUID();
        client().get(PATH + "/" + unknown).then().statusCode(404)
                .body("type", is("https://taskq.dev/problems/workflow-not-found"))
                .body("detail", containsString(unknown.toString()));
        client().post(PATH + "/" + unknown + "/cancel").then().statusCode(404);
        client().get(PATH + "/nope").then().statusCode(400).body("errors[0].field", is("id"));
        client().delete(PATH + "/" + unknown).then().statusCode(405).header("Allow", is("GET"));
    }

    @Test
    void aTenThousandTaskChainIsAcceptedInOneRequest() {
        int length = 10_000;
        List<Map<String, Object>> tasks = new ArrayList<>(length);
        tasks.add(node("n0"));
        for (int i = 1; i < length; i++) {
            tasks.add(node("n" + i, "n" + (i - 1)));
        }

        String id = client().body(body(tasks)).post(PATH)
                .then().statusCode(201)
                .body("tasks", hasSize(length))
                .body("tasks[0].status", is("QUEUED"))
                .body("tasks[9999].status", is("WAITING"))
                .body("edges", hasSize(length - 1))
                .extract().path("id");

        assertThat(TestDatabase.count("select count(*) from tasks where workflow_id = ?::uuid", id)).isEqualTo(length);
        client().get(PATH + "/" + id).then().statusCode(200)
                .body("tasks", hasSize(length))
                .body("tasks[0].ref", is("n0"))
                .body("tasks[9999].ref", is("n9999"))
                .body("tasks[9999].dependsOn", contains("n9998"));
    }

    @Test
    void aTaskOfAWorkflowCanBeFoundInTheTaskListWithItsWorkflow() {
        String id = client().body(body(List.of(node("listed")))).post(PATH).then().statusCode(201).extract().path("id");

        client().queryParam("limit", 5).get("/api/v1/tasks").then().statusCode(200)
                .body("items.workflowId", hasItem(id))
                .body("items.find { it.workflowId == '" + id + "' }.workflowRef", is("listed"))
                .body("items.links.self", not(empty()))
                .body("items[0].links.cancel", endsWith("/cancel"));
    }

    private static Map<String, String> edge(String from, String to) {
        return Map.of("from", from, "to", to);
    }

    private static Map<String, Object> node(String ref, String... dependsOn) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("ref", ref);
        node.put("prompt", "node " + ref);
        node.put("dependsOn", List.of(dependsOn));
        return node;
    }

    private static String body(List<Map<String, Object>> tasks) {
        try {
            return JSON.writeValueAsString(Map.of("tasks", tasks));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
