package dev.taskq.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback stand-in for the Anthropic Messages API that answers the real Claude CLI from a {@link Script}.
 *
 * <p>Main conversation requests (streaming, with tools) go to the script; side requests (titles, quota
 * checks: non-streaming or without tools) get a short plain answer.
 */
public final class AnthropicStandIn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnthropicStandIn.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per-turn usage: large enough that the CLI's {@code total_cost_usd} is above zero. */
    private static final int INPUT_TOKENS = 1200;
    private static final int OUTPUT_TOKENS = 42;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Script script;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<JsonNode> conversationRequests = new CopyOnWriteArrayList<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();

    private AnthropicStandIn(HttpServer server, ExecutorService executor, Script script) {
        this.server = server;
        this.executor = executor;
        this.script = script;
    }

    /** Starts on 127.0.0.1 and a free port. */
    public static AnthropicStandIn start(Script script) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the Anthropic stand-in", e);
        }
        // Virtual threads so that a held (slow) reply never blocks other requests; close() interrupts them.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        AnthropicStandIn standIn = new AnthropicStandIn(server, executor, script);
        server.setExecutor(executor);
        server.createContext("/", standIn::handle);
        server.start();
        return standIn;
    }

    /** The value for {@code ANTHROPIC_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every {@code POST /v1/messages} body received, side requests included, in arrival order. */
    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of the main conversation requests only: the ones the script answered. */
    public List<JsonNode> conversationRequests() {
        return List.copyOf(conversationRequests);
    }

    /** {@code METHOD path} of requests to paths the stand-in does not implement. */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpected);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            LOG.debug("{} {} {}", method, exchange.getRequestURI(), new String(body, StandardCharsets.UTF_8));
            if ("POST".equals(method) && "/v1/messages".equals(path)) {
                messages(exchange, JSON.readTree(body));
            } else if ("POST".equals(method) && "/v1/messages/count_tokens".equals(path)) {
                sendJson(exchange, 200, JSON.createObjectNode().put("input_tokens", INPUT_TOKENS));
            } else {
                if ("HEAD".equals(method) || "GET".equals(method)) {
                    // The CLI probes connectivity with HEAD / before each run.
                    LOG.debug("Anthropic stand-in: answering probe {} {}", method, path);
                } else {
                    unexpected.add(method + " " + path);
                    LOG.warn("Anthropic stand-in: unexpected {} {}, answering an empty JSON object", method, path);
                }
                sendJson(exchange, 200, JSON.createObjectNode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The CLI went away mid-reply (cancelled or killed): nothing to answer.
            LOG.debug("Anthropic stand-in: client gone: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("Anthropic stand-in failed on {}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void messages(HttpExchange exchange, JsonNode request) throws IOException, InterruptedException {
        requests.add(request);
        boolean stream = request.path("stream").asBoolean(false);
        String model = request.path("model").asText("claude-sonnet-4-5");
        if (isSideRequest(request)) {
            Reply.Message answer = Reply.text("Stand-in side answer");
            if (stream) {
                sendStream(exchange, model, answer);
            } else {
                sendJson(exchange, 200, message(model, answer));
            }
            return;
        }
        conversationRequests.add(request);
        Reply reply = script.reply(Turn.of(request));
        switch (reply) {
            case Reply.ApiError error -> sendJson(exchange, error.status(), error.body());
            case Reply.Message answer -> {
                if (!answer.holdBeforeReply().isZero()) {
                    Thread.sleep(answer.holdBeforeReply());
                }
                if (stream) {
                    sendStream(exchange, model, answer);
                } else {
                    sendJson(exchange, 200, message(model, answer));
                }
            }
        }
    }

    /** Titles, quota checks and the like: not streamed, or offered no tools. */
    static boolean isSideRequest(JsonNode request) {
        boolean stream = request.path("stream").asBoolean(false);
        JsonNode tools = request.path("tools");
        return !stream || !tools.isArray() || tools.isEmpty();
    }

    private void sendStream(HttpExchange exchange, String model, Reply.Message answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("request-id", "req_standin");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();

        ObjectNode start = message(model, answer);
        start.set("content", JSON.createArrayNode());
        start.putNull("stop_reason");
        ((ObjectNode) start.get("usage")).put("output_tokens", 1);
        event(out, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", start));

        for (int index = 0; index < answer.content().size(); index++) {
            Block block = answer.content().get(index);
            ObjectNode startBlock = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
            switch (block) {
                case Block.Text text -> {
                    startBlock.set("content_block", JSON.createObjectNode().put("type", "text").put("text", ""));
                    delta.set("delta", JSON.createObjectNode().put("type", "text_delta").put("text", text.text()));
                }
                case Block.ToolUse tool -> {
                    startBlock.set("content_block", JSON.createObjectNode().put("type", "tool_use")
                            .put("id", tool.id()).put("name", tool.name()).set("input", JSON.createObjectNode()));
                    delta.set("delta", JSON.createObjectNode().put("type", "input_json_delta")
                            .put("partial_json", JSON.writeValueAsString(tool.input())));
                }
            }
            event(out, "content_block_start", startBlock);
            event(out, "content_block_delta", delta);
            event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
        }

        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.set("delta", JSON.createObjectNode().put("stop_reason", answer.stopReason()).putNull("stop_sequence"));
        messageDelta.set("usage", JSON.createObjectNode().put("output_tokens", OUTPUT_TOKENS));
        event(out, "message_delta", messageDelta);
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        out.close();
    }

    private static void event(OutputStream out, String name, JsonNode data) throws IOException {
        out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode message(String model, Reply.Message answer) {
        ObjectNode message = JSON.createObjectNode()
                .put("id", "msg_" + randomHex(12))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        ArrayNode content = message.putArray("content");
        for (Block block : answer.content()) {
            switch (block) {
                case Block.Text text -> content.addObject().put("type", "text").put("text", text.text());
                case Block.ToolUse tool -> content.addObject().put("type", "tool_use").put("id", tool.id())
                        .put("name", tool.name()).set("input", tool.input());
            }
        }
        message.put("stop_reason", answer.stopReason());
        message.putNull("stop_sequence");
        message.set("usage", JSON.createObjectNode()
                .put("input_tokens", INPUT_TOKENS)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0)
                .put("output_tokens", OUTPUT_TOKENS));
        return message;
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("request-id", "req_standin");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * One main conversation request as the script sees it; {@code number} is 1 for the first request of a
     * conversation and grows by one with each assistant message already in it.
     */
    public record Turn(JsonNode request, int number) {

        /** The turn a recorded request was (see {@link #requests()}), to read its messages as a script does. */
        public static Turn of(JsonNode request) {
            int assistantMessages = 0;
            for (JsonNode message : request.path("messages")) {
                if ("assistant".equals(message.path("role").asText())) {
                    assistantMessages++;
                }
            }
            return new Turn(request, assistantMessages + 1);
        }

        /**
         * The last message from the user: the prompt or a tool result. (The CLI may put {@code system}-role
         * entries after it.)
         */
        public JsonNode lastMessage() {
            JsonNode messages = request.path("messages");
            for (int i = messages.size() - 1; i >= 0; i--) {
                if ("user".equals(messages.get(i).path("role").asText())) {
                    return messages.get(i);
                }
            }
            return JSON.missingNode();
        }

        /** Whether the last user message carries a {@code tool_result}, i.e. a tool just ran. */
        public boolean afterToolResult() {
            return !toolResults().isEmpty();
        }

        /** The {@code tool_result} blocks of the last user message. */
        public List<JsonNode> toolResults() {
            List<JsonNode> results = new ArrayList<>();
            for (JsonNode block : lastMessage().path("content")) {
                if ("tool_result".equals(block.path("type").asText())) {
                    results.add(block);
                }
            }
            return results;
        }

        /** The text of the last message (see {@link AnthropicStandIn#messageText}). */
        public String lastText() {
            return messageText(lastMessage());
        }

        /** The text of the first message: the prompt, and in a resumed session the first session's prompt. */
        public String firstText() {
            return messageText(request.path("messages").path(0));
        }

        /** Names of the tools offered in this request, e.g. {@code Bash} or {@code mcp__taskq__DelegateTask}. */
        public List<String> toolNames() {
            List<String> names = new ArrayList<>();
            request.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
            return names;
        }
    }

    /** A message's text: its string content, or its text blocks, one per line. */
    public static String messageText(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                texts.add(block.path("text").asText());
            }
        }
        return String.join("\n", texts);
    }

    /** Decides the answer to each main conversation request. */
    @FunctionalInterface
    public interface Script {

        Reply reply(Turn turn);

        /** Always answers {@code text} and ends the turn. */
        static Script text(String text) {
            return turn -> Reply.text(text);
        }

        /** Answers every request with an API error of that HTTP status. */
        static Script error(int status, String message) {
            return turn -> Reply.error(status, message);
        }

        /** Holds each request open for {@code holdBeforeReply}, then answers {@code text}. */
        static Script slowText(Duration holdBeforeReply, String text) {
            return turn -> Reply.text(text).heldFor(holdBeforeReply);
        }

        /** First a short text and a Bash tool_use of {@code command}; once its result is back, {@code finalText}. */
        static Script bashThenText(String command, String finalText) {
            return toolThenText("Bash", Map.of("command", command, "description", "Run " + command), finalText);
        }

        /** First a short text and a tool_use of any tool with any input; once its result is back, {@code finalText}. */
        static Script toolThenText(String toolName, Map<String, ?> input, String finalText) {
            return turn -> turn.afterToolResult()
                    ? Reply.text(finalText)
                    : Reply.toolUse("I will use " + toolName + ".", toolName, input);
        }

        /** The n-th reply for the n-th turn of a conversation; the last one repeats. */
        static Script turns(Reply... replies) {
            List<Reply> list = List.of(replies);
            return turn -> list.get(Math.min(turn.number(), list.size()) - 1);
        }
    }

    /** What the stand-in answers to one request. */
    public sealed interface Reply permits Reply.Message, Reply.ApiError {

        static Message text(String text) {
            return new Message(List.of(new Block.Text(text)), "end_turn", Duration.ZERO);
        }

        static Message toolUse(String preamble, String toolName, Map<String, ?> input) {
            return new Message(List.of(new Block.Text(preamble), Block.toolUse(toolName, input)), "tool_use", Duration.ZERO);
        }

        static ApiError error(int status, String message) {
            return new ApiError(status, "invalid_request_error", message);
        }

        /** An assistant message; {@code stopReason} is {@code end_turn} or {@code tool_use}. */
        record Message(List<Block> content, String stopReason, Duration holdBeforeReply) implements Reply {

            public Message {
                content = List.copyOf(content);
            }

            public Message heldFor(Duration hold) {
                return new Message(content, stopReason, hold);
            }
        }

        /** An API error in the API's shape, with that HTTP status. */
        record ApiError(int status, String type, String message) implements Reply {

            JsonNode body() {
                ObjectNode body = JSON.createObjectNode().put("type", "error");
                body.set("error", JSON.createObjectNode().put("type", type).put("message", message));
                return body;
            }
        }
    }

    /** A content block of an assistant message. */
    public sealed interface Block permits Block.Text, Block.ToolUse {

        static ToolUse toolUse(String name, Map<String, ?> input) {
            return new ToolUse("toolu_" + randomHex(12), name, JSON.valueToTree(input));
        }

        record Text(String text) implements Block {
        }

        record ToolUse(String id, String name, JsonNode input) implements Block {
        }
    }
}
