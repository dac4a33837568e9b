package dev.taskq.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.event.SessionResult;
import dev.taskq.worker.session.StreamJsonTranslator.Rendered;
import dev.taskq.worker.session.StreamJsonTranslator.Translation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamJsonTranslatorTest {

    private final StreamJsonTranslator translator = new StreamJsonTranslator(2000, 16000);

    @Test
    void aSuccessfulBashSessionReadsLikeAConversation() {
        Capture capture = translate("success-with-bash-tool.jsonl");

        assertThat(capture.rendered()).extracting(Rendered::kind, Rendered::text).containsExactly(
                tuple(LogKind.SYSTEM, "session 285bfb9b-2a55-469d-b85d-6840216e3416 started, model claude-opus-4-8[1m],"
                        + " cwd /workspace/demo/work"),
                tuple(LogKind.ASSISTANT, "I will run the command."),
                tuple(LogKind.TOOL_USE, "Bash: echo hello"),
                tuple(LogKind.TOOL_RESULT, "hello"),
                tuple(LogKind.ASSISTANT, "Done: the command printed hello."),
                tuple(LogKind.RESULT, "result success, 2 turns, cost $0.0141"));
    }

    @Test
    void everyLineNamingItsSessionGivesTheSessionIdAndOthersNone() {
        String init = "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"abc\",\"model\":\"m\",\"cwd\":\"/w\"}";
        String assistant = "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]},"
                + "\"session_id\":\"abc\"}";

        assertThat(translator.translate(init).sessionId()).isEqualTo("abc");
        assertThat(translator.translate(assistant).sessionId()).isEqualTo("abc");
        assertThat(translator.translate("not json").sessionId()).isNull();
        assertThat(translator.translate("{\"type\":\"other\"}").sessionId()).isNull();
    }

    @Test
    void theResultLineIsParsedWithCostUsageAndSessionId() {
        SessionResult result = translate("success-with-bash-tool.jsonl").result();

        assertThat(result.subtype()).isEqualTo("success");
        assertThat(result.isError()).isFalse();
        assertThat(result.numTurns()).isEqualTo(2);
        assertThat(result.totalCostUsd()).isEqualByComparingTo(new BigDecimal("0.014099999999999998"));
        assertThat(result.usage().path("input_tokens").asInt()).isEqualTo(2400);
        assertThat(result.modelUsage().path("claude-opus-4-8[1m]").path("costUSD").asDouble()).isPositive();
        assertThat(result.sessionId()).isEqualTo("285bfb9b-2a55-469d-b85d-6840216e3416");
        assertThat(result.resultText()).isEqualTo("Done: the command printed hello.");
        assertThat(result.apiErrorStatus()).isNull();
        assertThat(result.durationMs()).isEqualTo(232L);
    }

    @Test
    void anApiErrorIsAnErrorResultWithItsHttpStatus() {
        Capture capture = translate("api-error-400.jsonl");

        assertThat(capture.result().subtype()).isEqualTo("success");
        assertThat(capture.result().isError()).isTrue();
        assertThat(capture.result().apiErrorStatus()).isEqualTo(400);
        assertThat(capture.result().resultText()).isEqualTo("API Error: 400 mock error");
        assertThat(capture.result().totalCostUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(capture.rendered()).extracting(Rendered::kind, Rendered::text).containsExactly(
                tuple(LogKind.SYSTEM, "session 15af5163-237a-41c5-9f1c-35b1c804121f started, model claude-opus-4-8[1m],"
                        + " cwd /workspace/demo/work"),
                tuple(LogKind.ASSISTANT, "API Error: 400 mock error"),
                tuple(LogKind.RESULT, "result success (error, HTTP 400), 1 turn, cost $0.0000: API Error: 400 mock error"));
    }

    @Test
    void apiRetriesAreWarningsNamingTheAttemptDelayAndError() {
        Capture capture = translate("api-401-retrying-until-killed.jsonl");

        assertThat(capture.result()).isNull();
        assertThat(capture.rendered()).first().extracting(Rendered::kind).isEqualTo(LogKind.SYSTEM);
        List<Rendered> warnings = capture.rendered().stream().filter(line -> line.kind() == LogKind.WARNING).toList();
        assertThat(warnings).hasSize(capture.lines() - 1);
        assertThat(warnings.getFirst().text())
                .isEqualTo("API request failed: authentication_failed (HTTP 401); retry 1 of 10 in 574 ms");
    }

    @Test
    void anUnreachableApiIsAWarningWithoutAStatus() {
        Capture capture = translate("api-unreachable-retrying-until-killed.jsonl");

        assertThat(capture.rendered()).filteredOn(line -> line.kind() == LogKind.WARNING).first()
                .extracting(Rendered::text)
                .isEqualTo("API request failed: unknown; retry 1 of 10 in 571 ms");
    }

    @Test
    void hookEventsAreSystemLinesAndTheSessionStillParses() {
        Capture capture = translate("success-with-hook-events.jsonl");

        assertThat(capture.rendered()).extracting(Rendered::kind, Rendered::text).contains(
                tuple(LogKind.SYSTEM, "hook SessionStart:startup started"),
                tuple(LogKind.SYSTEM, "hook PreToolUse:Bash: success (exit 0)"),
                tuple(LogKind.TOOL_USE, "Bash: echo hello"),
                tuple(LogKind.TOOL_RESULT, "hello"));
        assertThat(capture.result().subtype()).isEqualTo("success");
        assertThat(capture.result().isError()).isFalse();
    }

    @Test
    void linesOfUnknownShapeAreKeptVerbatimAsRaw() {
        Capture capture = translate("hook-stdin-payloads.jsonl");

        assertThat(capture.rendered()).isNotEmpty().allSatisfy(line -> {
            assertThat(line.kind()).isEqualTo(LogKind.RAW);
            assertThat(line.text()).startsWith("{\"session_id\":");
        });
        assertThat(capture.result()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json at all",
        "{\"type\":\"stream_event\",\"event\":{}}",
        "{\"type\":\"system\",\"subtype\":\"compact_boundary\"}",
        "[1,2,3]",
        "{\"type\":\"assistant\"}",
        "{\"type\":\"user\",\"message\":{\"content\":\"plain text\"}}"
    })
    void anythingUnknownBecomesOneRawLineWithTheLineVerbatim(String line) {
        Translation translation = translator.translate(line);

        assertThat(translation.lines()).containsExactly(new Rendered(LogKind.RAW, line));
        assertThat(translation.result()).isNull();
    }

    @Test
    void blankLinesYieldNothing() {
        assertThat(translator.translate("   ").lines()).isEmpty();
    }

    @Test
    void longToolOutputIsCutWithANoteOfWhatWasLeftOut() {
        String output = "x".repeat(2500);
        String line = "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"t1\",\"content\":\"" + output + "\",\"is_error\":false}]}}";

        Rendered rendered = translator.translate(line).lines().getFirst();

        assertThat(rendered.kind()).isEqualTo(LogKind.TOOL_RESULT);
        assertThat(rendered.text()).startsWith("x".repeat(2000)).endsWith("… [500 more chars]");
    }

    @Test
    void toolResultsGivenAsBlocksAndErrorsAreRenderedAsText() {
        String line = "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"t1\",\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\"no such file\\n\"}]}]}}";

        assertThat(translator.translate(line).lines())
                .containsExactly(new Rendered(LogKind.TOOL_RESULT, "error: no such file"));
    }

    @Test
    void toolCallsWithoutACommandNameTheirMostTellingInput() {
        String line = "{\"type\":\"assistant\",\"message\":{\"content\":["
                + "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"Read\",\"input\":{\"file_path\":\"/etc/hosts\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"u\",\"name\":\"TodoWrite\",\"input\":{\"todos\":[]}},"
                + "{\"type\":\"thinking\",\"thinking\":\"hmm\"}]}}";

        assertThat(translator.translate(line).lines()).containsExactly(
                new Rendered(LogKind.TOOL_USE, "Read: /etc/hosts"),
                new Rendered(LogKind.TOOL_USE, "TodoWrite: {\"todos\":[]}"));
    }

    @Test
    void aMaxTurnsResultKeepsItsSubtype() {
        String line = "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":true,\"num_turns\":3,"
                + "\"session_id\":\"s\",\"total_cost_usd\":0.5}";

        Translation translation = translator.translate(line);

        assertThat(translation.result().subtype()).isEqualTo("error_max_turns");
        assertThat(translation.result().numTurns()).isEqualTo(3);
        assertThat(translation.lines()).containsExactly(
                new Rendered(LogKind.RESULT, "result error_max_turns (error), 3 turns, cost $0.5000"));
    }

    private record Capture(List<Rendered> rendered, SessionResult result, int lines) {}

    private Capture translate(String fixture) {
        List<Rendered> rendered = new ArrayList<>();
        SessionResult result = null;
        int lines = 0;
        for (String line : fixtureLines(fixture)) {
            Translation translation = translator.translate(line);
            rendered.addAll(translation.lines());
            if (translation.result() != null) {
                result = translation.result();
            }
            lines++;
        }
        return new Capture(rendered, result, lines);
    }

    static List<String> fixtureLines(String fixture) {
        try (InputStream in = Objects.requireNonNull(
                StreamJsonTranslatorTest.class.getResourceAsStream("/stream-json/" + fixture), fixture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
