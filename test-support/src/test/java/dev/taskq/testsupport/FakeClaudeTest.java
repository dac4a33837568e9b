package dev.taskq.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeClaudeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "11111111-2222-4333-8444-555555555555";

    @TempDir
    Path temp;

    @Test
    void a_plain_prompt_streams_init_one_assistant_text_and_a_successful_result() throws Exception {
        Run run = run("-p", "do the thing", "--output-format", "stream-json", "--verbose", "--max-turns", "3",
                "--session-id", SESSION, "--model", "claude-opus-4-8", "--permission-mode", "bypassPermissions",
                "--append-system-prompt", "be brief", "--allowedTools", "Bash,Read", "--max-budget-usd", "1.5",
                "--mcp-config", "{\"mcpServers\":{}}", "--strict-mcp-config", "--some-future-flag", "x");

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(List.of("system", "assistant", "result"), run.types());
        JsonNode init = run.lines().getFirst();
        assertEquals("init", init.path("subtype").asText());
        assertEquals(SESSION, init.path("session_id").asText());
        assertEquals(temp.toRealPath().toString(), init.path("cwd").asText());
        assertEquals("claude-opus-4-8", init.path("model").asText());
        JsonNode result = run.lines().getLast();
        assertEquals("success", result.path("subtype").asText());
        assertFalse(result.path("is_error").asBoolean(true));
        assertEquals(1, result.path("num_turns").asInt());
        assertEquals("ok", result.path("result").asText());
        assertEquals(SESSION, result.path("session_id").asText());
        assertTrue(result.has("usage"));
        assertTrue(result.has("total_cost_usd"));
    }

    @Test
    void the_fail_knob_ends_with_an_error_result_and_exit_code_1() throws Exception {
        Run run = run("-p", "please [fake:fail]", "--output-format", "stream-json", "--verbose");

        assertEquals(1, run.exitCode());
        assertTrue(run.lines().getLast().path("is_error").asBoolean(false));
    }

    @Test
    void the_lines_knob_adds_assistant_messages() throws Exception {
        Run run = run("--print", "[fake:lines=3] go", "--output-format", "stream-json", "--verbose");

        assertEquals(List.of("system", "assistant", "assistant", "assistant", "assistant", "result"), run.types());
    }

    @Test
    void the_sleep_knob_delays_the_result() throws Exception {
        long started = System.nanoTime();
        Run run = run("-p", "[fake:sleep=1]", "--output-format", "stream-json", "--verbose");

        assertEquals(0, run.exitCode());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 1000);
    }

    @Test
    void stream_json_without_verbose_is_refused_like_the_real_cli() throws Exception {
        Run run = run("-p", "hi", "--output-format", "stream-json");

        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("requires --verbose"), run.stderr());
        assertTrue(run.lines().isEmpty());
    }

    @Test
    void resume_keeps_the_session_id() throws Exception {
        Run run = run("--resume", SESSION, "-p", "again", "--output-format", "stream-json", "--verbose");

        assertEquals(SESSION, run.lines().getLast().path("session_id").asText());
    }

    @Test
    void values_it_echoes_stay_valid_json_with_a_quote_or_a_lone_control_character() throws Exception {
        Run quoted = run("-p", "hi", "--output-format", "stream-json", "--verbose", "--model", "say \"hi\"");
        Run tabbed = run("-p", "hi", "--output-format", "stream-json", "--verbose", "--model", "a\tb");

        assertEquals("say \"hi\"", quoted.lines().getFirst().path("model").asText());
        // Control characters are dropped rather than escaped: the fake never needs them back.
        assertEquals("ab", tabbed.lines().getFirst().path("model").asText());
    }

    private Run run(String... args) throws Exception {
        Path claude = FakeClaude.install(temp.resolve("bin"));
        List<String> command = new ArrayList<>(List.of(claude.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(temp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertTrue(Files.isExecutable(claude));
        return new Run(process.exitValue(), lines, stderr);
    }

    private record Run(int exitCode, List<JsonNode> lines, String stderr) {

        List<String> types() {
            return lines.stream().map(line -> line.path("type").asText()).toList();
        }
    }
}
