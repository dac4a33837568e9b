package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.testsupport.AnthropicStandIn;
import dev.taskq.testsupport.AnthropicStandIn.Reply;
import dev.taskq.testsupport.AnthropicStandIn.Turn;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workflows through the whole system with the real {@code claude} binary: a DAG submitted in one request, a
 * continuation whose prompt carries its parent's result, failure policies, and a resume that continues the
 * parent's real session transcript on the worker that holds it.
 */
class WorkflowEndToEndIT {

    private static final String FAIL_WITH_400 = "[e2e:api400]";
    private static final String RESUME_MARKER = "[e2e:resumed]";

    private static RealClaudeSystem realClaude;
    private static AnthropicStandIn anthropic;
    private static RunningStack system;

    @BeforeAll
    static void startSystem() throws Exception {
        // Command tasks may run sh in the default pool, at the gateway and on the worker.
        realClaude = RealClaudeSystem.start(WorkflowEndToEndIT::replyFor, 1, 4, Map.of(
                "taskq.api.command-tasks.enabled", "true",
                "taskq.api.command-tasks.allowed-executables.default", "sh",
                "taskq.worker.command-tasks.enabled", "true",
                "taskq.worker.command-tasks.allowed-executables.default", "sh"));
        anthropic = realClaude.anthropic();
        system = realClaude.stack();
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (realClaude != null) {
            realClaude.close();
        }
    }

    private static Reply replyFor(Turn turn) {
        String firstUserText = turn.firstText();
        if (turn.lastText().contains(RESUME_MARKER)) {
            return Reply.text("Picked up where the first session left off.");
        }
        if (firstUserText.contains(FAIL_WITH_400)) {
            return Reply.error(400, "mock error");
        }
        if (firstUserText.contains("<context-from-task")) {
            return Reply.text("Merged what the earlier step reported.");
        }
        // Every plain step answers with its own name, so a continuation can be checked for its parent's result.
        int named = firstUserText.indexOf("step:");
        return Reply.text(named >= 0 ? "Result of " + firstUserText.substring(named).split("\\s")[0] : "ok");
    }

    @Test
    void aDiamondRunsEachNodeOnceAndTheContinuationSeesItsParentsResult() throws Exception {
        JsonPath created = submitWorkflow(Map.of("name", "diamond", "tasks", List.of(
                Map.of("ref", "a", "prompt", "step:a"),
                Map.of("ref", "b", "prompt", "step:b", "dependsOn", List.of("a")),
                Map.of("ref", "c", "prompt", "step:c", "dependsOn", List.of("a")),
                Map.of("ref", "d", "prompt", "Merge the reviews", "dependsOn", List.of("b", "c"), "continueFrom", "b"))));
        UUID workflowId = UUID.fromString(created.getString("id"));

        JsonPath finished = awaitWorkflow(workflowId, "SUCCEEDED");
        assertThat(finished.getList("tasks.status", String.class)).containsOnly("SUCCEEDED");
        assertThat(finished.getList("edges")).hasSize(4);
        for (String id : finished.getList("tasks.id", String.class)) {
            assertThat(system.countAttempts(UUID.fromString(id))).as("attempts of %s", id).isEqualTo(1);
        }

        List<String> continuationPrompts = anthropic.conversationRequests().stream()
                .map(request -> Turn.of(request).firstText())
                .filter(text -> text.contains("Merge the reviews"))
                .toList();
        assertThat(continuationPrompts).isNotEmpty();
        assertThat(continuationPrompts.getFirst())
                .contains("<context-from-task")
                .contains("relation=\"continue-from\"")
                .contains("Result of step:b")
                .doesNotContain("Result of step:c");
    }

    @Test
    void whenAStepFailsEachDependentFollowsItsPolicy() {
        JsonPath created = submitWorkflow(Map.of("name", "policies", "tasks", List.of(
                Map.of("ref", "build", "prompt", "step:build " + FAIL_WITH_400),
                Map.of("ref", "deploy", "prompt", "step:deploy", "dependsOn", List.of("build")),
                Map.of("ref", "optional", "prompt", "step:optional", "dependsOn", List.of("build"), "onDependencyFailure", "skip"),
                Map.of("ref", "cleanup", "prompt", "step:cleanup", "dependsOn", List.of("build"), "onDependencyFailure", "run"))));
        UUID workflowId = UUID.fromString(created.getString("id"));

        JsonPath finished = awaitWorkflow(workflowId, "FAILED");
        Map<String, String> statusByRef = statusByRef(finished);
        assertThat(statusByRef).containsEntry("build", "FAILED")
                .containsEntry("deploy", "UPSTREAM_FAILED")
                .containsEntry("optional", "SKIPPED")
                .containsEntry("cleanup", "SUCCEEDED");
        assertThat(taskOf(finished, "deploy").getString("statusReason")).contains("build").contains("FAILED");
    }

    @Test
    void aResumeContinuesTheRealTranscriptOfItsParentOnTheWorkerThatHoldsIt() {
        UUID parent = UUID.fromString(system.api().body(Map.of("prompt", "step:first-session", "timeoutSeconds", 120))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id"));
        JsonPath parentTask = awaitTask(parent, "SUCCEEDED");

        JsonPath resume = system.api().body(Map.of("additionalContext", "Go on " + RESUME_MARKER))
                .post("/api/v1/tasks/{id}/resume", parent).then().statusCode(201).extract().jsonPath();
        UUID child = UUID.fromString(resume.getString("id"));
        assertThat(resume.getString("parentTaskId")).isEqualTo(parent.toString());

        JsonPath childTask = awaitTask(child, "SUCCEEDED");
        assertThat(childTask.getString("result.text")).contains("Picked up where the first session left off");
        assertThat(childTask.getString("sessionId")).isNotEqualTo(parentTask.getString("sessionId"));

        // The resumed session sent the first session's conversation to the API before the new message.
        JsonNode resumed = anthropic.conversationRequests().stream()
                .filter(request -> Turn.of(request).lastText().contains(RESUME_MARKER))
                .findFirst().orElseThrow();
        assertThat(Turn.of(resumed).firstText()).contains("step:first-session");
        assertThat(resumed.path("messages").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBuildAndATestCommandHandTheirFailureToAClaudeReviewerThatContinuesFromTheTest() throws Exception {
        JsonPath created = submitWorkflow(Map.of("name", "build-test-review", "tasks", List.of(
                Map.of("ref", "build", "kind", "command", "command", List.of("sh", "-c", "echo compiling; echo BUILD OK")),
                Map.of("ref", "test", "kind", "command", "dependsOn", List.of("build"), "command", List.of("sh", "-c",
                        "echo 'running 2 tests'; echo 'test_login FAILED: expected 200, got 500' >&2; exit 3")),
                Map.of("ref", "review", "prompt", "Review why the tests failed", "agent", "reviewer",
                        "continueFrom", "test", "onDependencyFailure", "run", "timeoutSeconds", 180))));
        UUID workflowId = UUID.fromString(created.getString("id"));

        JsonPath finished = awaitWorkflow(workflowId, "FAILED");
        assertThat(statusByRef(finished)).containsExactlyInAnyOrderEntriesOf(
                Map.of("build", "SUCCEEDED", "test", "FAILED", "review", "SUCCEEDED"));
        JsonPath build = taskOf(finished, "build");
        assertThat(build.getString("kind")).isEqualTo("command");
        assertThat(build.getString("result.text")).isEqualTo("exited with code 0");
        assertThat(build.getString("checkpoint.sessionId")).isNull();
        assertThat(build.getList("checkpoint.lastLines", String.class)).contains("compiling", "BUILD OK");
        JsonPath test = taskOf(finished, "test");
        assertThat(test.getInt("result.exitCode")).isEqualTo(3);
        assertThat(test.getString("statusReason")).isEqualTo("exited with code 3: test_login FAILED: expected 200, got 500");
        assertThat(test.getString("failureCause")).isEqualTo("SESSION_ERROR");
        assertThat(system.countAttempts(UUID.fromString(test.getString("id")))).isEqualTo(1);
        List<Map<String, Object>> testLog = system.api().get("/api/v1/tasks/{id}/logs", test.getString("id"))
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(testLog).anySatisfy(line -> assertThat(line).containsEntry("kind", "STDOUT").containsEntry("text", "running 2 tests"))
                .anySatisfy(line -> assertThat(line).containsEntry("kind", "STDERR")
                        .containsEntry("text", "test_login FAILED: expected 200, got 500"));

        // The reviewer's session was told what the failed command printed and how it ended, under the reviewer role.
        List<JsonNode> reviewRequests = anthropic.conversationRequests().stream()
                .filter(request -> Turn.of(request).firstText().contains("Review why the tests failed"))
                .toList();
        assertThat(reviewRequests).isNotEmpty().allSatisfy(request -> {
            String prompt = Turn.of(request).firstText();
            assertThat(prompt).contains("<context-from-task", "exit code: 3", "test_login FAILED: expected 200, got 500",
                    "running 2 tests");
            assertThat(request.path("system").toString()).contains("You are a reviewer.");
        });
        assertThat(taskOf(finished, "review").getString("result.text")).isEqualTo("Merged what the earlier step reported.");
    }

    private static JsonPath submitWorkflow(Map<String, Object> body) {
        return system.api().body(body).post("/api/v1/workflows").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath awaitWorkflow(UUID id, String status) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            last[0] = system.api().get("/api/v1/workflows/{id}", id).then().statusCode(200).extract().jsonPath();
            assertThat(last[0].getString("status")).as("workflow %s: %s", id, last[0].prettify()).isEqualTo(status);
        });
        return last[0];
    }

    private static JsonPath awaitTask(UUID id, String status) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            last[0] = system.api().get("/api/v1/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
            assertThat(last[0].getString("status")).as("task %s (reason: %s)", id, last[0].getString("statusReason"))
                    .isEqualTo(status);
        });
        return last[0];
    }

    private static Map<String, String> statusByRef(JsonPath workflow) {
        List<String> refs = workflow.getList("tasks.ref", String.class);
        List<String> statuses = workflow.getList("tasks.status", String.class);
        Map<String, String> result = new java.util.HashMap<>();
        for (int i = 0; i < refs.size(); i++) {
            result.put(refs.get(i), statuses.get(i));
        }
        return result;
    }

    private static JsonPath taskOf(JsonPath workflow, String ref) {
        String id = workflow.getString("tasks.find { it.ref == '" + ref + "' }.id");
        return system.api().get("/api/v1/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
    }
}
