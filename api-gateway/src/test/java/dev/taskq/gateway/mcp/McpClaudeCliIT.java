package dev.taskq.gateway.mcp;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.AnthropicStandIn;
import dev.taskq.testsupport.AnthropicStandIn.Script;
import dev.taskq.testsupport.AnthropicStandIn.Turn;
import dev.taskq.testsupport.ClaudeBinary;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude CLI, given taskq as an MCP server, delegates a task through it (the model is the API stand-in); with the
 * main-session kit ({@code kit/}) dropped into its project, its hooks reach taskq and their answers reach the session.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class McpClaudeCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOL = "mcp__taskq__DelegateTask";
    private static final String DELEGATED_PROMPT = "Summarise CHANGELOG.md for the 2.4 release notes";
    private static final String KIT_PROMPT = "Retry the ORM upgrade with the 7.0 migration guide";
    // Generous: the CLI starts Node, connects to the MCP server and talks to the stand-in twice; a loaded machine is slow.
    private static final long CLI_TIMEOUT_SECONDS = 180;

    @TestHTTPResource("/mcp")
    URL mcpUrl;

    @TestHTTPResource("/")
    URL rootUrl;

    @TempDir
    Path temp;

    @Test
    void theRealClaudeCliListsTheTaskqToolsAndDelegatesATaskThroughThem() throws Exception {
        Path claude = ClaudeBinary.assumePresent();
        Script script = Script.toolThenText(TOOL, Map.of("prompt", DELEGATED_PROMPT, "priority", "P1"), "Delegated to taskq.");
        try (AnthropicStandIn api = AnthropicStandIn.start(script)) {
            List<JsonNode> lines = runClaude(claude, api, "Hand the release-notes summary to taskq.");

            JsonNode init = lines.stream().filter(line -> "init".equals(line.path("subtype").asText())).findFirst().orElseThrow();
            assertThat(init.path("mcp_servers").toString()).contains("{\"name\":\"taskq\",\"status\":\"connected\"");
            assertThat(texts(init.path("tools"))).contains(TOOL, "mcp__taskq__TaskStatus", "mcp__taskq__SubmitWorkflow");
            assertThat(Turn.of(api.conversationRequests().getFirst()).toolNames()).contains(TOOL);

            String taskId = Fixtures.queryString("select id from tasks where prompt = ?", DELEGATED_PROMPT);
            assertThat(taskId).as("the delegated task in taskq").isNotNull();
            client().get("/api/v1/tasks/" + taskId).then().statusCode(200)
                    .body("status", is("QUEUED"))
                    .body("priority", is(8));
            String toolResult = lines.stream()
                    .filter(line -> "user".equals(line.path("type").asText()))
                    .flatMap(line -> StreamSupport.stream(line.path("message").path("content").spliterator(), false))
                    .filter(block -> "tool_result".equals(block.path("type").asText()))
                    .map(block -> block.path("content").toString())
                    .findFirst().orElseThrow(() -> new AssertionError("no tool_result in " + lines));
            assertThat(toolResult).contains("Task " + taskId + " queued (P1, pool default)");

            JsonNode result = lines.getLast();
            assertThat(result.path("type").asText()).isEqualTo("result");
            assertThat(result.path("is_error").asBoolean(true)).as(result.toString()).isFalse();
            assertThat(result.path("result").asText()).isEqualTo("Delegated to taskq.");
        }
    }

    @Test
    void theKitsHooksReachTaskqAndTheirAnswersAppearInTheSessionsStreamJson() throws Exception {
        Path claude = ClaudeBinary.assumePresent();
        String session = UUID.randomUUID().toString();
        UUID failedEarlier = UUID.fromString(client().header("X-Claude-Session-Id", session)
                .body("{\"prompt\": \"Upgrade the ORM to 7.0\"}").post("/api/v1/tasks").then().statusCode(201)
                .extract().path("id"));
        Fixtures.update("update tasks set status = 'FAILED', status_reason = 'exit code 1', finished_at = now(), "
                + "updated_at = now() where id = ?", failedEarlier);
        Path work = Files.createDirectories(temp.resolve("project"));
        // The kit exactly as a user drops it into a project.
        Path kit = Path.of("..", "kit").toAbsolutePath().normalize();
        Files.copy(kit.resolve(".mcp.json"), work.resolve(".mcp.json"));
        Files.createDirectories(work.resolve(".claude"));
        Files.copy(kit.resolve(".claude/settings.json"), work.resolve(".claude/settings.json"));
        String root = rootUrl.toString().replaceAll("/+$", "");
        Script script = Script.toolThenText(TOOL, Map.of("prompt", KIT_PROMPT), "Delegated; it runs in the background.");

        try (AnthropicStandIn api = AnthropicStandIn.start(script)) {
            List<JsonNode> lines = runClaude(claude, api, work, Map.of("TASKQ_URL", root, "TASKQ_TOKEN", Fixtures.TOKEN),
                    "-p", "Hand the ORM upgrade retry to taskq.", "--session-id", session, "--include-hook-events",
                    "--output-format", "stream-json", "--verbose", "--max-turns", "3",
                    "--allowedTools", TOOL, "--permission-mode", "bypassPermissions");

            JsonNode init = lines.stream().filter(line -> "init".equals(line.path("subtype").asText())).findFirst().orElseThrow();
            assertThat(init.path("mcp_servers").toString()).contains("{\"name\":\"taskq\",\"status\":\"connected\"");
            // SessionStart: the command hook reached taskq, and its summary names the session's earlier task.
            JsonNode sessionStart = hookResponse(lines, "SessionStart");
            assertThat(sessionStart.path("outcome").asText()).as(sessionStart.toString()).isEqualTo("success");
            JsonNode startOutput = JSON.readTree(sessionStart.path("stdout").asText());
            assertThat(startOutput.path("hookSpecificOutput").path("additionalContext").asText())
                    .contains("Tasks this session delegated").contains(failedEarlier + " FAILED ").contains("Upgrade the ORM to 7.0");
            // ... and the model was given it.
            assertThat(api.conversationRequests().getFirst().toString()).contains(failedEarlier + " FAILED");
            // UserPromptSubmit: the mcp_tool hook checked the session in on its MCP connection before the model ran.
            assertThat(hookResponse(lines, "UserPromptSubmit").path("outcome").asText()).isEqualTo("success");

            String delegated = Fixtures.queryString("select id from tasks where prompt = ?", KIT_PROMPT);
            assertThat(delegated).as("the task the session delegated").isNotNull();
            client().get("/api/v1/tasks/" + delegated).then().statusCode(200)
                    .body("submittedBySession", is(session))
                    .body("status", is("QUEUED"));
            // Stop: the command hook reached taskq and told the user the delegated task has not finished.
            JsonNode stop = hookResponse(lines, "Stop");
            assertThat(stop.path("outcome").asText()).as(stop.toString()).isEqualTo("success");
            assertThat(JSON.readTree(stop.path("stdout").asText()).path("systemMessage").asText())
                    .startsWith("taskq: 1 task this session delegated has not finished:")
                    .contains(delegated + " QUEUED for ").contains(KIT_PROMPT)
                    .doesNotContain(failedEarlier.toString());

            JsonNode result = lines.getLast();
            assertThat(result.path("type").asText()).isEqualTo("result");
            assertThat(result.path("is_error").asBoolean(true)).as(result.toString()).isFalse();
            assertThat(result.path("session_id").asText()).isEqualTo(session);
        }
    }

    /** The {@code system/hook_response} line of a hook event (the first, if it fired more than once). */
    private static JsonNode hookResponse(List<JsonNode> lines, String event) {
        return lines.stream()
                .filter(line -> "system".equals(line.path("type").asText()) && "hook_response".equals(line.path("subtype").asText()))
                .filter(line -> event.equals(line.path("hook_event").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + event + " hook_response in " + lines));
    }

    /** Runs {@code claude -p} with taskq as its only MCP server and returns its stream-json lines. */
    private List<JsonNode> runClaude(Path claude, AnthropicStandIn api, String prompt) throws IOException, InterruptedException {
        Path work = Files.createDirectories(temp.resolve("work"));
        Path mcpConfig = temp.resolve("mcp.json");
        JSON.writeValue(mcpConfig.toFile(), Map.of("mcpServers", Map.of("taskq", Map.of(
                "type", "http",
                "url", mcpUrl.toString(),
                "headers", Map.of("Authorization", "Bearer " + Fixtures.TOKEN)))));
        return runClaude(claude, api, work, Map.of(), "-p", prompt,
                "--mcp-config", mcpConfig.toString(), "--strict-mcp-config",
                "--output-format", "stream-json", "--verbose", "--max-turns", "3",
                "--allowedTools", TOOL, "--permission-mode", "bypassPermissions");
    }

    /** Runs the CLI in {@code work} with a fresh HOME, the stand-in as its API and {@code env} added; its stream-json lines. */
    private List<JsonNode> runClaude(Path claude, AnthropicStandIn api, Path work, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path home = Files.createDirectories(temp.resolve("home-" + UUID.randomUUID()));
        Path stdout = temp.resolve("stdout-" + UUID.randomUUID() + ".jsonl");
        Path stderr = temp.resolve("stderr-" + UUID.randomUUID() + ".txt");
        List<String> command = new ArrayList<>(List.of(claude.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(ClaudeBinary.cleanEnvironment(home, api.baseUrl()));
        builder.environment().putAll(env);
        // Otherwise the CLI may print its init line (and start the turn) before the MCP handshake has finished.
        builder.environment().put("MCP_CONNECTION_NONBLOCKING", "false");
        Process process = builder.start();
        boolean exited = process.waitFor(CLI_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(stdout);
        assertThat(exited).as("claude finished within %d s; stdout:%n%s%nstderr:%n%s", CLI_TIMEOUT_SECONDS, output,
                Files.readString(stderr)).isTrue();
        assertThat(process.exitValue()).as("exit code; stdout:%n%s%nstderr:%n%s", output, Files.readString(stderr)).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
