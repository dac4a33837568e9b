package dev.taskq.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.testsupport.AnthropicStandIn.Script;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real Claude CLI against the stand-in, the way the worker runs it. */
class AnthropicStandInIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    void the_real_cli_runs_a_bash_tool_and_finishes_with_the_final_text() throws Exception {
        Path claude = ClaudeBinary.assumePresent();
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.bashThenText("echo hello", "done"))) {
            CliRun run = runClaude(claude, api, "say hello");

            assertTrue(run.lines().stream().anyMatch(line -> "assistant".equals(line.path("type").asText())
                    && hasBlock(line, "tool_use", block -> "Bash".equals(block.path("name").asText()))), run.describe());
            assertTrue(run.lines().stream().anyMatch(line -> "user".equals(line.path("type").asText())
                    && hasBlock(line, "tool_result", block -> block.path("content").toString().contains("hello"))),
                    run.describe());
            JsonNode result = run.result();
            assertEquals("success", result.path("subtype").asText(), run.describe());
            assertFalse(result.path("is_error").asBoolean(true), run.describe());
            assertTrue(result.path("num_turns").asInt() >= 2, run.describe());
            assertTrue(result.path("total_cost_usd").asDouble() > 0, run.describe());
            assertEquals("done", result.path("result").asText(), run.describe());
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(api.conversationRequests().size() >= 2, run.describe());
            assertTrue(api.unexpectedRequests().isEmpty(), api.unexpectedRequests().toString());
        }
    }

    @Test
    void an_api_error_ends_the_cli_with_an_error_result_and_exit_code_1() throws Exception {
        Path claude = ClaudeBinary.assumePresent();
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.error(400, "mock error"))) {
            CliRun run = runClaude(claude, api, "say hello");

            JsonNode result = run.result();
            assertTrue(result.path("is_error").asBoolean(false), run.describe());
            assertTrue(result.path("result").asText().contains("mock error"), run.describe());
            assertEquals(1, run.exitCode(), run.describe());
        }
    }

    @Test
    void a_held_reply_keeps_the_cli_waiting_until_it_arrives() throws Exception {
        Path claude = ClaudeBinary.assumePresent();
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.slowText(Duration.ofSeconds(3), "finally"))) {
            long started = System.nanoTime();
            CliRun run = runClaude(claude, api, "say hello");

            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 3000);
            assertEquals("finally", run.result().path("result").asText(), run.describe());
            assertEquals(0, run.exitCode(), run.describe());
        }
    }

    private CliRun runClaude(Path claude, AnthropicStandIn api, String prompt) throws IOException, InterruptedException {
        Path home = Files.createDirectories(temp.resolve("home"));
        Path work = Files.createDirectories(temp.resolve("work"));
        ProcessBuilder builder = new ProcessBuilder(claude.toString(), "-p", prompt,
                "--output-format", "stream-json", "--verbose", "--max-turns", "3",
                "--session-id", UUID.randomUUID().toString(), "--permission-mode", "bypassPermissions")
                .directory(work.toFile())
                .redirectError(temp.resolve("stderr.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(ClaudeBinary.cleanEnvironment(home, api.baseUrl()));
        Process process = builder.start();
        List<JsonNode> lines = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> process.inputReader(StandardCharsets.UTF_8).lines().forEach(line -> {
            synchronized (raw) {
                raw.add(line);
            }
        }));
        boolean exited = process.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        reader.join(Duration.ofSeconds(5));
        synchronized (raw) {
            for (String line : raw) {
                lines.add(JSON.readTree(line));
            }
        }
        String stderr = Files.readString(temp.resolve("stderr.txt"));
        assertTrue(exited, "claude did not finish in " + CLI_TIMEOUT + "; stdout: " + raw + "; stderr: " + stderr
                + "; requests: " + api.requests());
        return new CliRun(process.exitValue(), lines, stderr, api.requests());
    }

    private static boolean hasBlock(JsonNode line, String type, Predicate<JsonNode> matches) {
        for (JsonNode block : line.path("message").path("content")) {
            if (type.equals(block.path("type").asText()) && matches.test(block)) {
                return true;
            }
        }
        return false;
    }

    private record CliRun(int exitCode, List<JsonNode> lines, String stderr, List<JsonNode> requests) {

        JsonNode result() {
            return lines.stream().filter(line -> "result".equals(line.path("type").asText())).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no result line; " + describe()));
        }

        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + lines.stream().map(JsonNode::toString).reduce("", (a, b) -> a + b + "\n")
                    + "stderr:\n" + stderr;
        }
    }
}
