package dev.taskq.worker.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.domain.LogKind;
import dev.taskq.common.event.SessionResult;
import dev.taskq.common.json.EventJson;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns each line the CLI writes in {@code --output-format stream-json} into readable log lines, and its
 * {@code result} line into a {@link SessionResult}. Anything it does not know is kept verbatim as RAW: a newer
 * CLI must never break a session.
 */
public final class StreamJsonTranslator {

    /** One rendered line, before the session numbers and timestamps it. */
    public record Rendered(LogKind kind, String text) {}

    /**
     * What one stdout line yields; {@code result} is non-null only for the CLI's result line, {@code sessionId} for
     * any line naming its session (every stream-json message does).
     */
    public record Translation(List<Rendered> lines, SessionResult result, String sessionId) {

        public Translation(List<Rendered> lines, SessionResult result) {
            this(lines, result, null);
        }

        static Translation of(LogKind kind, String text) {
            return new Translation(List.of(new Rendered(kind, text)), null);
        }

        Translation withSessionId(String id) {
            return id == null ? this : new Translation(lines, result, id);
        }
    }

    private static final Translation NOTHING = new Translation(List.of(), null);
    // Keys whose value best names what a tool call does, most telling first.
    private static final List<String> TOOL_INPUT_SUMMARY_KEYS =
            List.of("command", "file_path", "notebook_path", "path", "pattern", "url", "query", "description", "prompt",
                    "question");

    private final int toolResultMaxChars;
    private final int lineMaxChars;

    public StreamJsonTranslator(int toolResultMaxChars, int lineMaxChars) {
        this.toolResultMaxChars = toolResultMaxChars;
        this.lineMaxChars = lineMaxChars;
    }

    public Translation translate(String line) {
        if (line == null || line.isBlank()) {
            return NOTHING;
        }
        JsonNode node;
        try {
            node = EventJson.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            return raw(line);
        }
        if (node == null || !node.isObject()) {
            return raw(line);
        }
        Translation translation = switch (node.path("type").asText("")) {
            case "system" -> system(node, line);
            case "assistant" -> assistant(node, line);
            case "user" -> user(node, line);
            case "result" -> result(node);
            default -> raw(line);
        };
        JsonNode sessionId = node.get("session_id");
        return sessionId != null && sessionId.isTextual() && !sessionId.asText().isBlank()
                ? translation.withSessionId(sessionId.asText())
                : translation;
    }

    private Translation system(JsonNode node, String line) {
        return switch (node.path("subtype").asText("")) {
            case "init" -> Translation.of(LogKind.SYSTEM, "session %s started, model %s, cwd %s".formatted(
                    text(node, "session_id"), text(node, "model"), text(node, "cwd")));
            case "api_retry" -> Translation.of(LogKind.WARNING, apiRetry(node));
            case "hook_started" -> Translation.of(LogKind.SYSTEM, "hook " + text(node, "hook_name") + " started");
            case "hook_response" -> Translation.of(LogKind.SYSTEM, hookResponse(node));
            default -> raw(line);
        };
    }

    private static String apiRetry(JsonNode node) {
        String status = node.hasNonNull("error_status") ? " (HTTP " + node.get("error_status").asText() + ")" : "";
        return "API request failed: %s%s; retry %s of %s in %d ms".formatted(
                text(node, "error"), status, text(node, "attempt"), text(node, "max_retries"),
                Math.round(node.path("retry_delay_ms").asDouble()));
    }

    private String hookResponse(JsonNode node) {
        StringBuilder text = new StringBuilder("hook ").append(text(node, "hook_name")).append(": ")
                .append(text(node, "outcome"));
        if (node.hasNonNull("exit_code")) {
            text.append(" (exit ").append(node.get("exit_code").asText()).append(')');
        }
        String stderr = node.path("stderr").asText("").strip();
        if (!stderr.isEmpty()) {
            text.append(": ").append(stderr);
        }
        return cut(text.toString(), lineMaxChars);
    }

    private Translation assistant(JsonNode node, String line) {
        JsonNode content = node.path("message").path("content");
        if (!content.isArray()) {
            return raw(line);
        }
        List<Rendered> lines = new ArrayList<>();
        for (JsonNode block : content) {
            switch (block.path("type").asText("")) {
                case "text" -> lines.add(new Rendered(LogKind.ASSISTANT, cut(block.path("text").asText(""), lineMaxChars)));
                case "tool_use" -> lines.add(new Rendered(LogKind.TOOL_USE, toolUse(block)));
                // The model's private reasoning is not part of the session's visible output.
                case "thinking", "redacted_thinking" -> { }
                default -> lines.add(new Rendered(LogKind.RAW, cut(block.toString(), lineMaxChars)));
            }
        }
        return new Translation(lines, null);
    }

    private String toolUse(JsonNode block) {
        String name = block.path("name").asText("tool");
        JsonNode input = block.path("input");
        for (String key : TOOL_INPUT_SUMMARY_KEYS) {
            JsonNode value = input.get(key);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                return cut(name + ": " + value.asText(), lineMaxChars);
            }
        }
        return cut(input.isMissingNode() || input.isEmpty() ? name : name + ": " + input, lineMaxChars);
    }

    private Translation user(JsonNode node, String line) {
        JsonNode content = node.path("message").path("content");
        if (!content.isArray()) {
            return raw(line);
        }
        List<Rendered> lines = new ArrayList<>();
        for (JsonNode block : content) {
            if ("tool_result".equals(block.path("type").asText())) {
                String output = toolResultText(block.path("content")).strip();
                if (block.path("is_error").asBoolean(false)) {
                    output = "error: " + output;
                }
                lines.add(new Rendered(LogKind.TOOL_RESULT, cut(output, toolResultMaxChars)));
            } else {
                lines.add(new Rendered(LogKind.RAW, cut(block.toString(), lineMaxChars)));
            }
        }
        return new Translation(lines, null);
    }

    private static String toolResultText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return content.isMissingNode() || content.isNull() ? "" : content.toString();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content) {
            String type = part.path("type").asText("");
            parts.add(type.equals("text") ? part.path("text").asText("") : "[" + type + "]");
        }
        return String.join("\n", parts);
    }

    private Translation result(JsonNode node) {
        SessionResult result = new SessionResult(
                node.path("subtype").asText(null),
                node.path("is_error").asBoolean(false),
                node.hasNonNull("num_turns") ? node.get("num_turns").asInt() : null,
                node.hasNonNull("total_cost_usd") ? node.get("total_cost_usd").decimalValue() : null,
                node.hasNonNull("usage") ? node.get("usage") : null,
                node.hasNonNull("modelUsage") ? node.get("modelUsage") : null,
                node.path("session_id").asText(null),
                node.path("result").asText(null),
                node.hasNonNull("api_error_status") ? node.get("api_error_status").asInt() : null,
                node.hasNonNull("duration_ms") ? node.get("duration_ms").asLong() : null);
        return new Translation(List.of(new Rendered(LogKind.RESULT, renderResult(result))), result);
    }

    private String renderResult(SessionResult result) {
        StringBuilder text = new StringBuilder("result ").append(result.subtype());
        if (result.isError()) {
            text.append(" (error");
            if (result.apiErrorStatus() != null) {
                text.append(", HTTP ").append(result.apiErrorStatus());
            }
            text.append(')');
        }
        if (result.numTurns() != null) {
            text.append(", ").append(result.numTurns()).append(result.numTurns() == 1 ? " turn" : " turns");
        }
        if (result.totalCostUsd() != null) {
            text.append(", cost $").append(result.totalCostUsd().setScale(4, RoundingMode.HALF_UP).toPlainString());
        }
        if (result.isError() && result.resultText() != null && !result.resultText().isBlank()) {
            text.append(": ").append(result.resultText().strip());
        }
        return cut(text.toString(), lineMaxChars);
    }

    private Translation raw(String line) {
        return Translation.of(LogKind.RAW, cut(line, lineMaxChars));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "?" : value.asText();
    }

    static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars) + "… [" + (text.length() - maxChars) + " more chars]";
    }
}
