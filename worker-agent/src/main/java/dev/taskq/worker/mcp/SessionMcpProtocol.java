package dev.taskq.worker.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskq.worker.session.SessionQuestions;
import java.util.List;
import java.util.Optional;

/**
 * The JSON-RPC side of the worker's MCP server for its own sessions: {@code initialize}, {@code ping},
 * {@code tools/list} and {@code tools/call} of the one tool, AskHuman. Stateless apart from the attempt's channel,
 * which the caller found by the bearer token; no server-initiated messages, so every request gets one JSON answer.
 */
public final class SessionMcpProtocol {

    /** The tool's name on this server; sessions see it as {@code mcp__taskq__AskHuman}. */
    public static final String ASK_HUMAN = "AskHuman";
    /** Protocol revisions this server speaks, newest first; claude 2.1.197 asks for 2025-11-25. */
    static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;

    static final String ASKED = "Your question was sent to a human. End your turn now: do not do any further work and "
            + "do not call any more tools. This session will be resumed later with the human's answer as the next "
            + "message; continue the task from there.";

    private static final String DESCRIPTION = "Ask a human a question when you cannot go on without them: a decision "
            + "only they can make, a requirement or fact you cannot find out, an access you lack. The question goes to "
            + "the people who gave you this task; you will not get the answer in this turn. After calling this tool, "
            + "end your turn at once without doing anything else: the session is resumed later with the answer as the "
            + "next message. Ask at most once, and make the question self-contained (what you need, the options you "
            + "see, what you did so far), since the reader may not have followed your work.";
    private static final String INSTRUCTIONS = "taskq runs this session in the background with nobody watching. Use "
            + "the AskHuman tool only when you are blocked on a human; then end your turn and wait to be resumed.";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SessionMcpProtocol() {}

    /**
     * The answer to one JSON-RPC message (or batch) from a session of the attempt owning {@code channel}.
     *
     * @return the response (an array for a batch); empty when nothing answers it: a notification or a response
     */
    public static Optional<JsonNode> handle(JsonNode message, SessionQuestions.Channel channel) {
        if (message != null && message.isArray()) {
            if (message.isEmpty()) {
                return Optional.of(error(null, INVALID_REQUEST, "empty batch"));
            }
            ArrayNode responses = JSON.arrayNode();
            message.forEach(each -> handleOne(each, channel).ifPresent(responses::add));
            return responses.isEmpty() ? Optional.empty() : Optional.of(responses);
        }
        return handleOne(message, channel).map(JsonNode.class::cast);
    }

    /** The answer to a body that is not JSON. */
    public static JsonNode parseError(String detail) {
        return error(null, PARSE_ERROR, "parse error: " + detail);
    }

    private static Optional<ObjectNode> handleOne(JsonNode message, SessionQuestions.Channel channel) {
        if (message == null || !message.isObject() || !"2.0".equals(message.path("jsonrpc").asText())) {
            return Optional.of(error(null, INVALID_REQUEST, "not a JSON-RPC 2.0 message"));
        }
        JsonNode id = message.get("id");
        JsonNode method = message.get("method");
        if (method == null) {
            // A response to a request of ours: this server sends none, so there is nothing to match it with.
            return Optional.empty();
        }
        if (!method.isTextual()) {
            return Optional.of(error(id, INVALID_REQUEST, "method must be a string"));
        }
        if (id == null) {
            // notifications/initialized, notifications/cancelled and the like: nothing to do.
            return Optional.empty();
        }
        JsonNode params = message.path("params");
        return Optional.of(switch (method.asText()) {
            case "initialize" -> result(id, initialize(params));
            case "ping" -> result(id, JSON.objectNode());
            case "tools/list" -> result(id, toolsList());
            case "tools/call" -> toolsCall(id, params, channel);
            default -> error(id, METHOD_NOT_FOUND, "method not found: " + method.asText());
        });
    }

    private static ObjectNode initialize(JsonNode params) {
        String requested = params.path("protocolVersion").asText("");
        ObjectNode result = JSON.objectNode()
                .put("protocolVersion", PROTOCOL_VERSIONS.contains(requested) ? requested : PROTOCOL_VERSIONS.getFirst());
        result.putObject("capabilities").putObject("tools").put("listChanged", false);
        result.putObject("serverInfo").put("name", "taskq-worker").put("title", "taskq worker").put("version", "1");
        result.put("instructions", INSTRUCTIONS);
        return result;
    }

    private static ObjectNode toolsList() {
        ObjectNode tool = JSON.objectNode()
                .put("name", ASK_HUMAN)
                .put("title", "Ask a human")
                .put("description", DESCRIPTION);
        ObjectNode schema = tool.putObject("inputSchema").put("type", "object");
        schema.putObject("properties").putObject("question")
                .put("type", "string")
                .put("minLength", 1)
                .put("maxLength", SessionQuestions.MAX_QUESTION_CHARS)
                .put("description", "The question, self-contained, at most " + SessionQuestions.MAX_QUESTION_CHARS
                        + " characters.");
        schema.putArray("required").add("question");
        schema.put("additionalProperties", false);
        ObjectNode result = JSON.objectNode();
        result.putArray("tools").add(tool);
        return result;
    }

    private static ObjectNode toolsCall(JsonNode id, JsonNode params, SessionQuestions.Channel channel) {
        String name = params.path("name").asText("");
        if (!ASK_HUMAN.equals(name)) {
            return error(id, INVALID_PARAMS, "unknown tool: " + name);
        }
        JsonNode question = params.path("arguments").get("question");
        if (question == null || !question.isTextual() || question.asText().isBlank()) {
            return result(id, toolResult(true, "question is required: a non-empty string. Call AskHuman again with it."));
        }
        String text = question.asText().strip();
        if (text.length() > SessionQuestions.MAX_QUESTION_CHARS) {
            return result(id, toolResult(true, "question is %d characters long; at most %d are allowed. Shorten it and "
                    .formatted(text.length(), SessionQuestions.MAX_QUESTION_CHARS) + "call AskHuman again."));
        }
        Optional<String> pending = channel.ask(text);
        if (pending.isPresent()) {
            return result(id, toolResult(true, "A question is already pending for this session, and only one can be: \""
                    + preview(pending.get()) + "\". Do not ask again: end your turn now; the session will be resumed "
                    + "with the answer."));
        }
        return result(id, toolResult(false, ASKED));
    }

    private static ObjectNode toolResult(boolean isError, String text) {
        ObjectNode result = JSON.objectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", isError);
        return result;
    }

    private static String preview(String question) {
        String oneLine = question.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    private static ObjectNode result(JsonNode id, ObjectNode result) {
        ObjectNode response = JSON.objectNode().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode response = JSON.objectNode().put("jsonrpc", "2.0");
        response.set("id", id == null ? JSON.nullNode() : id);
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }
}
