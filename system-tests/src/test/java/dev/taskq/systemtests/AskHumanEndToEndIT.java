package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Asking a human through the whole system with real parts: the real {@code claude} calls the worker's
 * {@code mcp__taskq__AskHuman} tool (the Messages API stand-in tells it to), the task waits for input holding no slot,
 * the answer comes through the REST API, and the same worker resumes the same conversation with it. One worker with
 * one slot, so a task that runs meanwhile can only have run in the slot the waiting task gave back.
 */
class AskHumanEndToEndIT {

    /** In a prompt: the stand-in's model asks {@link #QUESTION} and ends its turn; resumed with an answer, it finishes. */
    private static final String ASKS = "[e2e:ask]";
    private static final String QUESTION = "Which database should the migration target?";
    private static final String ANSWER = "PostgreSQL 17, the cluster called orders-db.";
    /** The start of the message an answered question resumes the session with (task-store's QuestionText). */
    private static final String ANSWERED = "A human answered the question you asked.";

    private static RealClaudeSystem realClaude;
    private static RunningStack system;

    @BeforeAll
    static void startSystem() throws Exception {
        realClaude = RealClaudeSystem.start(AskHumanEndToEndIT::replyFor, 1, 1);
        system = realClaude.stack();
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (realClaude != null) {
            realClaude.close();
        }
    }

    private static Reply replyFor(Turn turn) {
        if (!turn.firstText().contains(ASKS)) {
            return Reply.text("ok");
        }
        if (turn.lastText().contains(ANSWERED)) {
            return Reply.text("Migrating to the database the human chose. Done.");
        }
        return turn.afterToolResult()
                ? Reply.text("I asked a human and will wait for the answer.")
                : Reply.toolUse("I need a decision first.", "mcp__taskq__AskHuman", Map.of("question", QUESTION));
    }

    @Test
    void aSessionThatAsksWaitsWithoutItsSlotAndTheAnswerResumesItOnTheSameWorker() throws Exception {
        UUID asking = submit("Migrate the orders table " + ASKS);

        JsonPath waiting = awaitStatus(asking, "WAITING_FOR_INPUT");
        assertThat(waiting.getString("question.text")).isEqualTo(QUESTION);
        assertThat(waiting.getInt("question.attempt")).isEqualTo(1);
        assertThat(waiting.getString("question.askedAt")).isNotBlank();
        assertThat(waiting.getString("statusReason")).contains(QUESTION);
        assertThat(waiting.getList("attempts")).hasSize(1);
        String askedOn = waiting.getString("attempts[0].workerId");
        assertThat(askedOn).isNotBlank();
        // Nothing runs while the task waits: the session's process is gone...
        long askingPid = system.sessionPid(asking);
        assertThat(askingPid).isPositive();
        assertThat(ProcessHandle.of(askingPid).map(ProcessHandle::isAlive).orElse(false)).as("session process %d", askingPid)
                .isFalse();

        // ...and its slot, the only one, runs another task meanwhile.
        UUID meanwhile = submit("Something else meanwhile");
        awaitStatus(meanwhile, "SUCCEEDED");
        assertThat(system.api().get("/api/v1/tasks/{id}", asking).then().extract().jsonPath().getString("status"))
                .isEqualTo("WAITING_FOR_INPUT");

        JsonPath answered = system.api().body(Map.of("answer", ANSWER)).post("/api/v1/tasks/{id}/answer", asking)
                .then().statusCode(200).body("status", equalTo("QUEUED")).extract().jsonPath();
        assertThat(answered.getString("statusReason")).contains("answered; resuming session");
        assertThat(answered.getString("questions[0].answer")).isEqualTo(ANSWER);

        JsonPath done = awaitStatus(asking, "SUCCEEDED");
        assertThat(done.getString("result.text")).contains("Done.");
        assertThat(done.getList("attempts")).hasSize(2);
        assertThat(done.getString("attempts[1].workerId")).as("the resumed attempt's worker").isEqualTo(askedOn);
        assertThat(done.getString("attempts[1].sessionId")).as("a fork of the session that asked")
                .isNotEqualTo(done.getString("attempts[0].sessionId"));
        assertThat(done.getString("question")).isNull();
        assertThat(done.getList("questions")).hasSize(1);
        assertThat(done.getString("questions[0].question")).isEqualTo(QUESTION);
        assertThat(done.getString("questions[0].answer")).isEqualTo(ANSWER);
        assertThat(done.getString("questions[0].answeredAt")).isNotBlank();

        // The model got the answer inside the conversation that asked: after its own AskHuman call, not as a fresh prompt.
        List<JsonNode> withAnswer = realClaude.anthropic().conversationRequests().stream()
                .filter(request -> Turn.of(request).lastText().contains(ANSWER))
                .toList();
        assertThat(withAnswer).isNotEmpty().allSatisfy(request -> {
            Turn turn = Turn.of(request);
            assertThat(turn.firstText()).contains(ASKS);
            assertThat(turn.lastText()).contains(ANSWERED, "<question>\n" + QUESTION + "\n</question>",
                    "<answer>\n" + ANSWER + "\n</answer>");
            String messages = request.path("messages").toString();
            assertThat(messages.indexOf("mcp__taskq__AskHuman")).as("the earlier AskHuman call").isNotNegative()
                    .isLessThan(messages.indexOf(ANSWER));
            assertThat(turn.toolNames()).contains("mcp__taskq__AskHuman");
        });
    }

    @Test
    void answeringATaskThatIsNotWaitingForAnAnswerIsAConflict() {
        UUID id = submit("Asks nothing");
        awaitStatus(id, "SUCCEEDED");

        system.api().body(Map.of("answer", "Too late")).post("/api/v1/tasks/{id}/answer", id)
                .then().statusCode(409).contentType("application/problem+json");
        assertThat(system.api().get("/api/v1/tasks/{id}", id).then().extract().jsonPath().getList("questions")).isEmpty();
    }

    private static UUID submit(String prompt) {
        String id = system.api().body(Map.of("prompt", prompt, "maxTurns", 5, "timeoutSeconds", 120))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    private static JsonPath awaitStatus(UUID id, String status) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = system.api().get("/api/v1/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
            assertThat(last[0].getString("status")).as("status of %s (reason: %s)", id, last[0].getString("statusReason"))
                    .isEqualTo(status);
        });
        return last[0];
    }
}
