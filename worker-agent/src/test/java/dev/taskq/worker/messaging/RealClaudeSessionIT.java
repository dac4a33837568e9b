package dev.taskq.worker.messaging;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.domain.DefaultAgentRoles;
import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.testsupport.AnthropicStandIn.Turn;
import dev.taskq.testsupport.ClaudeBinary;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.domain.Dispatches.Session;
import dev.taskq.worker.domain.TranscriptPath;
import dev.taskq.worker.messaging.RealClaudeProfile.RealClaude;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RealClaudeProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
class RealClaudeSessionIT {

    @Inject
    TopicNames topics;

    @Inject
    WorkerIdentity identity;

    RealClaude realClaude;

    @Test
    void theRealCliAcceptsTheWorkersArgvAndRunsABashToolToSuccess() throws InterruptedException {
        ClaudeBinary.assumePresent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        TaskDispatch dispatch = aDispatch().prompt("Run echo hello").timeoutSeconds(120).build();

        try (KafkaProbe probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics)) {
            probe.dispatch(dispatch);
            SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, Duration.ofSeconds(120));

            List<LogLine> lines = probe.events(dispatch.taskId(), 1).stream()
                    .filter(SessionLog.class::isInstance)
                    .flatMap(event -> ((SessionLog) event).lines().stream())
                    .toList();
            assertThat(finished.outcome()).as("%s, logs %s", finished.reason(), lines).isEqualTo(SessionOutcome.SUCCEEDED);
            assertThat(lines).extracting(LogLine::kind, LogLine::text).contains(
                    tuple(LogKind.TOOL_USE, "Bash: echo hello"),
                    tuple(LogKind.TOOL_RESULT, "hello"));
            assertThat(finished.result().resultText()).isEqualTo("done");
            assertThat(finished.result().totalCostUsd()).isGreaterThan(BigDecimal.ZERO);
            assertThat(finished.result().sessionId()).isEqualTo(dispatch.sessionId().toString());
            assertThat(finished.exitCode()).isZero();
        }
    }
    @Test
    void theRealCliAcceptsEverySessionSettingOfATaskAndHonoursThem() throws Exception {
        ClaudeBinary.assumePresent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String prompt = "Run echo hello under the task's own settings";
        String appended = "Answer in one word. (taskq session settings)";
        TaskDispatch dispatch = aDispatch().prompt(prompt).timeoutSeconds(120).session(new Session(new BigDecimal("5.25"),
                List.of("Bash(echo:*)", "Read"), List.of("WebFetch"), appended, "acceptEdits")).build();

        try (KafkaProbe probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics)) {
            probe.dispatch(dispatch);
            SessionFinished finished = assertSucceeded(probe, dispatch);

            List<LogLine> lines = probe.events(dispatch.taskId(), 1).stream()
                    .filter(SessionLog.class::isInstance)
                    .flatMap(event -> ((SessionLog) event).lines().stream())
                    .toList();
            assertThat(lines).extracting(LogLine::text).noneMatch(text -> text.contains("unknown option"));
            // acceptEdits alone would deny Bash in print mode: the allowed pattern is what lets it run.
            assertThat(lines).extracting(LogLine::kind, LogLine::text).contains(tuple(LogKind.TOOL_RESULT, "hello"));
            assertThat(finished.result().resultText()).isEqualTo("done");
            assertThat(Files.readAllLines(realClaude.argvLog())).anySatisfy(argv -> assertThat(argv).contains(
                    "-p " + prompt,
                    "--permission-mode acceptEdits --max-budget-usd 5.25 --allowedTools Bash(echo:*) --allowedTools Read "
                            + "--disallowedTools WebFetch --append-system-prompt " + appended));
            List<JsonNode> requests = realClaude.standIn().conversationRequests().stream()
                    .filter(request -> request.path("messages").toString().contains(prompt))
                    .toList();
            assertThat(requests).isNotEmpty().allSatisfy(request -> {
                assertThat(request.path("system").toString()).contains(appended);
                List<String> tools = request.path("tools").findValuesAsText("name");
                assertThat(tools).contains("Bash").doesNotContain("WebFetch");
            });
        }
    }

    @Test
    void aResumeContinuesTheEarlierTranscriptOnTheWorkerHoldingIt() throws Exception {
        ClaudeBinary.assumePresent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        Path project = Files.createTempDirectory("taskq-resume-project-");
        TaskDispatch first = aDispatch().prompt("Remember the word pineapple").workingDir(project.toString())
                .timeoutSeconds(120).build();

        try (KafkaProbe probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics)) {
            probe.dispatch(first);
            assertSucceeded(probe, first);
            Path configDir = realClaude.home().resolve(".claude");
            assertThat(TranscriptPath.transcript(configDir, project.toRealPath().toString(), first.sessionId())).isRegularFile();

            TaskDispatch resume = aDispatch().prompt("Which word was it?").workingDir(project.toString())
                    .resuming(first.sessionId()).forWorker(identity.workerId()).timeoutSeconds(120).build();
            probe.dispatchDirect(resume);
            SessionFinished resumed = assertSucceeded(probe, resume);

            assertThat(resumed.result().sessionId()).isEqualTo(resume.sessionId().toString());
            assertThat(Files.readAllLines(realClaude.argvLog())).anySatisfy(argv -> assertThat(argv).contains(
                    "-p Which word was it?",
                    "--resume " + first.sessionId() + " --fork-session --session-id " + resume.sessionId()));
            // The resumed conversation reached the API with the earlier one's messages before the new prompt.
            List<String> resumedRequests = realClaude.standIn().conversationRequests().stream()
                    .map(request -> request.path("messages").toString())
                    .filter(messages -> messages.contains("Which word was it?"))
                    .toList();
            assertThat(resumedRequests).isNotEmpty().allSatisfy(messages -> assertThat(messages)
                    .contains("Remember the word pineapple", "done")
                    .satisfies(text -> assertThat(text.indexOf("Remember the word pineapple"))
                            .isLessThan(text.indexOf("Which word was it?"))));
            // Forked: the new session has a transcript of its own and the earlier one is still there to resume.
            assertThat(TranscriptPath.transcript(configDir, project.toRealPath().toString(), resume.sessionId())).isRegularFile();
            assertThat(TranscriptPath.transcript(configDir, project.toRealPath().toString(), first.sessionId())).isRegularFile();
        }
    }

    @Test
    void aSessionAsksAHumanThroughTheWorkersToolWaitsForInputAndIsResumedWithTheAnswer() throws Exception {
        ClaudeBinary.assumePresent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String prompt = RealClaudeProfile.ASK_HUMAN_MARKER + " Set up the service's storage";
        // The default mode asks before any MCP tool runs, and print mode has nobody to ask: only the worker's allow
        // rule for AskHuman lets the call through.
        TaskDispatch asking = aDispatch().prompt(prompt).timeoutSeconds(120)
                .session(new Session(null, List.of("Read"), List.of(), null, "default")).build();

        try (KafkaProbe probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics)) {
            probe.dispatch(asking);
            SessionFinished waiting = probe.awaitFinished(asking.taskId(), 1, Duration.ofSeconds(120));

            assertThat(waiting.outcome()).as("%s, logs %s", waiting.reason(), logLines(probe, asking))
                    .isEqualTo(SessionOutcome.WAITING_FOR_INPUT);
            assertThat(waiting.question()).isEqualTo(RealClaudeProfile.QUESTION);
            assertThat(waiting.failureCause()).isNull();
            assertThat(waiting.result().resultText()).isEqualTo("I asked a human and will wait for the answer.");
            assertThat(waiting.checkpoint().sessionId()).isEqualTo(asking.sessionId().toString());
            assertThat(logLines(probe, asking)).extracting(LogLine::kind, LogLine::text).contains(
                    tuple(LogKind.TOOL_USE, "mcp__taskq__AskHuman: " + RealClaudeProfile.QUESTION),
                    tuple(LogKind.WORKER, "asked a human: " + RealClaudeProfile.QUESTION));
            // The model got the tool's answer telling it to stop, not a permission denial or a connection error.
            List<JsonNode> toolResults = realClaude.standIn().conversationRequests().stream()
                    .filter(request -> request.path("messages").toString().contains(RealClaudeProfile.ASK_HUMAN_MARKER))
                    .flatMap(request -> Turn.of(request).toolResults().stream())
                    .toList();
            assertThat(toolResults).isNotEmpty().allSatisfy(result -> {
                assertThat(result.path("is_error").asBoolean(false)).isFalse();
                assertThat(result.path("content").toString()).contains("Your question was sent to a human", "End your turn now");
            });
            // The token travels in the session's environment, never in its argv.
            String argv = Files.readAllLines(realClaude.argvLog()).stream()
                    .filter(line -> line.contains(RealClaudeProfile.ASK_HUMAN_MARKER)).findFirst().orElseThrow();
            assertThat(argv).contains("--allowedTools mcp__taskq__AskHuman --mcp-config {\"mcpServers\":{\"taskq\":"
                    + "{\"type\":\"http\",\"url\":\"http://127.0.0.1:" + RestAssured.port + "/session-mcp\","
                    + "\"headers\":{\"Authorization\":\"Bearer ${TASKQ_SESSION_MCP_TOKEN}\"}}}}");

            String answer = RealClaudeProfile.ANSWER_MARKER + " Use Postgres.";
            TaskDispatch resume = aDispatch().taskId(asking.taskId()).attempt(2).prompt(answer).resuming(asking.sessionId())
                    .forWorker(identity.workerId()).timeoutSeconds(120).build();
            probe.dispatchDirect(resume);
            SessionFinished resumed = probe.awaitFinished(asking.taskId(), 2, Duration.ofSeconds(120));

            assertThat(resumed.outcome()).as("%s, logs %s", resumed.reason(), logLines(probe, resume))
                    .isEqualTo(SessionOutcome.SUCCEEDED);
            assertThat(resumed.question()).isNull();
            assertThat(resumed.result().resultText()).isEqualTo("Thanks, carrying on with the answer.");
            assertThat(Files.readAllLines(realClaude.argvLog())).anySatisfy(line -> assertThat(line).contains(
                    "-p " + answer, "--resume " + asking.sessionId() + " --fork-session --session-id " + resume.sessionId()));
            // The answer reached the model after the question it answers, in the same conversation.
            List<String> answered = realClaude.standIn().conversationRequests().stream()
                    .map(request -> request.path("messages").toString())
                    .filter(messages -> messages.contains("Use Postgres."))
                    .toList();
            assertThat(answered).isNotEmpty().allSatisfy(messages -> assertThat(messages.indexOf(RealClaudeProfile.QUESTION))
                    .isNotNegative().isLessThan(messages.indexOf("Use Postgres.")));
        }
    }

    @Test
    void everyDefaultAgentRoleReachesTheRealCliAsItsDocumentedFlagsAndIsAccepted() throws Exception {
        ClaudeBinary.assumePresent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        Map<AgentRole, TaskDispatch> dispatches = new LinkedHashMap<>();
        for (AgentRole role : DefaultAgentRoles.ALL) {
            // As the dependency-service releases a task naming the role: the role's settings merged into the dispatch.
            dispatches.put(role, aDispatch().prompt("Act as the " + role.name() + " and run echo hello").timeoutSeconds(180)
                    .build().withAgentRole(role));
        }

        try (KafkaProbe probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics)) {
            dispatches.values().forEach(probe::dispatch);
            List<String> argvLines = List.of();
            for (Map.Entry<AgentRole, TaskDispatch> entry : dispatches.entrySet()) {
                AgentRole role = entry.getKey();
                TaskDispatch dispatch = entry.getValue();
                SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, Duration.ofSeconds(180));
                assertThat(finished.outcome()).as("%s: %s, logs %s", role.name(), finished.reason(), logLines(probe, dispatch))
                        .isEqualTo(SessionOutcome.SUCCEEDED);
                assertThat(logLines(probe, dispatch)).extracting(LogLine::text)
                        .noneMatch(text -> text.contains("unknown option") || text.contains("error: option"));
                if (argvLines.isEmpty() || argvLines.stream().noneMatch(line -> line.contains(dispatch.prompt()))) {
                    argvLines = Files.readAllLines(realClaude.argvLog());
                }
                String argv = argvLines.stream().filter(line -> line.contains("-p " + dispatch.prompt())).findFirst().orElseThrow();
                assertThat(argv).as(role.name()).contains("--max-turns " + role.maxTurns(), "--model " + role.model(),
                        "--max-budget-usd " + role.maxBudgetUsd().toPlainString(),
                        "--append-system-prompt " + role.appendSystemPrompt());
                role.allowedTools().forEach(tool -> assertThat(argv).contains("--allowedTools " + tool));
                role.disallowedTools().forEach(tool -> assertThat(argv).contains("--disallowedTools " + tool));
                // The CLI took the flags to heart: the role's addition is in the system prompt, its model in the request.
                List<JsonNode> requests = realClaude.standIn().conversationRequests().stream()
                        .filter(request -> request.path("messages").toString().contains(dispatch.prompt()))
                        .toList();
                assertThat(requests).as(role.name()).isNotEmpty().allSatisfy(request -> {
                    assertThat(request.path("system").toString()).contains(role.appendSystemPrompt());
                    assertThat(request.path("model").asText()).contains(role.model());
                    List<String> tools = request.path("tools").findValuesAsText("name");
                    role.disallowedTools().forEach(tool -> assertThat(tools).doesNotContain(tool));
                });
            }
        }
    }

    private static List<LogLine> logLines(KafkaProbe probe, TaskDispatch dispatch) {
        return probe.events(dispatch.taskId(), dispatch.attempt()).stream()
                .filter(SessionLog.class::isInstance)
                .flatMap(event -> ((SessionLog) event).lines().stream())
                .toList();
    }

    private static SessionFinished assertSucceeded(KafkaProbe probe, TaskDispatch dispatch) {
        SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, Duration.ofSeconds(120));
        List<LogLine> lines = probe.events(dispatch.taskId(), 1).stream()
                .filter(SessionLog.class::isInstance)
                .flatMap(event -> ((SessionLog) event).lines().stream())
                .toList();
        assertThat(finished.outcome()).as("%s, logs %s", finished.reason(), lines).isEqualTo(SessionOutcome.SUCCEEDED);
        return finished;
    }
}
