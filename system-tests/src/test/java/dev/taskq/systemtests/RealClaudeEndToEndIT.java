package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

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
 * The whole path with real parts: REST → Postgres → dependency-service → Kafka → worker-agent → the real
 * {@code claude} binary → a local stand-in for the Anthropic Messages API → back to Postgres and the API.
 * Each test picks the stand-in's behaviour with a marker in its prompt.
 */
class RealClaudeEndToEndIT {

    private static final String BASH_THEN_TEXT = "[e2e:bash]";
    private static final String API_ERROR_400 = "[e2e:api400]";
    /** Runs a Bash sleep with a number no other process uses, so the test can look for it afterwards. */
    private static final String LONG_SLEEP = "[e2e:sleep]";
    private static final String SLEEP_COMMAND = "sleep 4242";

    private static RealClaudeSystem realClaude;
    private static RunningStack system;

    @BeforeAll
    static void startSystem() throws Exception {
        realClaude = RealClaudeSystem.start(RealClaudeEndToEndIT::replyFor, 1, 4);
        system = realClaude.stack();
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (realClaude != null) {
            realClaude.close();
        }
    }

    private static Reply replyFor(Turn turn) {
        String prompt = turn.firstText();
        if (prompt.contains(API_ERROR_400)) {
            return Reply.error(400, "mock error");
        }
        if (prompt.contains(LONG_SLEEP)) {
            return turn.afterToolResult() ? Reply.text("Slept.")
                    : Reply.toolUse("I will wait.", "Bash", Map.of("command", SLEEP_COMMAND, "description", "Wait"));
        }
        if (prompt.contains(BASH_THEN_TEXT)) {
            return turn.afterToolResult() ? Reply.text("The command printed hello. Done.")
                    : Reply.toolUse("I will run the command.", "Bash", Map.of("command", "echo hello", "description", "Print hello"));
        }
        return Reply.text("ok");
    }

    @Test
    void aTaskRunsARealClaudeSessionThatCallsAToolAndSucceeds() {
        UUID id = submit(Map.of("prompt", "Say hello with bash " + BASH_THEN_TEXT, "maxTurns", 5, "timeoutSeconds", 120));

        JsonPath task = awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(90));
        assertThat(task.getInt("result.numTurns")).isGreaterThanOrEqualTo(2);
        assertThat(task.getDouble("result.totalCostUsd")).isPositive();
        assertThat(task.getString("sessionId")).isNotBlank();
        assertThat(task.getString("result.text")).contains("Done.");
        assertThat(task.getList("attempts")).hasSize(1);

        List<Map<String, Object>> lines = logs(id);
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("kind")).isEqualTo("TOOL_USE");
            assertThat((String) line.get("text")).contains("Bash").contains("echo hello");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("kind")).isEqualTo("TOOL_RESULT");
            assertThat((String) line.get("text")).contains("hello");
        });
        assertThat(lines).anySatisfy(line -> assertThat(line.get("kind")).isEqualTo("RESULT"));
    }

    @Test
    void anApiErrorFailsTheTaskWithTheErrorAsItsReason() {
        UUID id = submit(Map.of("prompt", "This will be refused " + API_ERROR_400, "timeoutSeconds", 120));

        JsonPath task = awaitStatus(id, "FAILED", Duration.ofSeconds(90));
        assertThat(task.getString("statusReason")).contains("400").contains("mock error");
        assertThat(task.getBoolean("result.isError")).isTrue();
    }

    @Test
    void whenATaskFailsItsDependentNeverRunsAndSaysWhy() throws Exception {
        UUID parent = submit(Map.of("prompt", "Parent that fails " + API_ERROR_400, "timeoutSeconds", 120));
        UUID child = submit(Map.of("prompt", "Child " + BASH_THEN_TEXT, "dependsOn", List.of(parent.toString())));

        awaitStatus(parent, "FAILED", Duration.ofSeconds(90));
        JsonPath dependent = awaitStatus(child, "UPSTREAM_FAILED", Duration.ofSeconds(30));
        assertThat(dependent.getString("statusReason")).contains(parent.toString()).contains("FAILED");
        assertThat(system.countAttempts(child)).isZero();
    }

    @Test
    void cancellingALongSessionKillsItsWholeProcessTree() throws Exception {
        UUID id = submit(Map.of("prompt", "Wait a long time " + LONG_SLEEP, "timeoutSeconds", 600));
        awaitStatus(id, "RUNNING", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> processRunning(SLEEP_COMMAND));
        long sessionPid = system.sessionPid(id);
        assertThat(sessionPid).isPositive();

        system.api().post("/api/v1/tasks/{id}/cancel", id).then().statusCode(200).body("status", equalTo("CANCELLED"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !ProcessHandle.of(sessionPid).map(ProcessHandle::isAlive).orElse(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> !processRunning(SLEEP_COMMAND));
        system.api().post("/api/v1/tasks/{id}/cancel", id).then().statusCode(409)
                .contentType("application/problem+json");
        assertThat(awaitStatus(id, "CANCELLED", Duration.ofSeconds(5)).getString("status")).isEqualTo("CANCELLED");
    }

    @Test
    void aSessionThatOutlivesItsTimeoutEndsTimedOutWithNoProcessLeft() throws Exception {
        UUID id = submit(Map.of("prompt", "Wait past the limit " + LONG_SLEEP, "timeoutSeconds", 8));
        awaitStatus(id, "RUNNING", Duration.ofSeconds(60));
        long sessionPid = system.sessionPid(id);

        JsonPath task = awaitStatus(id, "TIMED_OUT", Duration.ofSeconds(60));
        assertThat(task.getString("statusReason")).contains("timed out");
        assertThat(ProcessHandle.of(sessionPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        await().atMost(Duration.ofSeconds(15)).until(() -> !processRunning(SLEEP_COMMAND));
    }

    private static UUID submit(Map<String, Object> body) {
        String id = system.api().body(body).post("/api/v1/tasks")
                .then().statusCode(201).header("Location", notNullValue())
                .extract().path("id");
        return UUID.fromString(id);
    }

    private static JsonPath awaitStatus(UUID id, String status, Duration within) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = system.api().get("/api/v1/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
            assertThat(last[0].getString("status")).as("status of %s (reason: %s)", id, last[0].getString("statusReason"))
                    .isEqualTo(status);
        });
        return last[0];
    }

    private static List<Map<String, Object>> logs(UUID id) {
        return system.api().get("/api/v1/tasks/{id}/logs?limit=500", id).then().statusCode(200).extract().jsonPath().getList("items");
    }

    private static boolean processRunning(String commandLineFragment) {
        return ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine()
                .map(line -> line.contains(commandLineFragment)).orElse(false));
    }
}
