package dev.taskq.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.gateway.Fixtures;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** An MCP client over Streamable HTTP, as JSON-RPC requests through REST Assured: one initialized session. */
final class McpClient {

    static final String PATH = "/mcp";
    private static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String token;
    private final String sessionId;
    private final AtomicInteger ids = new AtomicInteger();

    private McpClient(String token, String sessionId) {
        this.token = token;
        this.sessionId = sessionId;
    }

    /** What a tools/call answered: the text of its content and whether it is a tool error. */
    record ToolResult(String text, boolean isError) {

        /** The first task, workflow or schedule id the text names. */
        UUID firstId() {
            Matcher matcher = UUID_PATTERN.matcher(text);
            assertThat(matcher.find()).as("an id in: %s", text).isTrue();
            return UUID.fromString(matcher.group());
        }
    }

    /** initialize, then notifications/initialized, with the test token. */
    static McpClient connect() {
        return connect(Fixtures.TOKEN);
    }

    /** initialize, then notifications/initialized, authenticated with {@code token} (an API key or bootstrap token). */
    static McpClient connect(String token) {
        Response initialized = request(token, null).body(Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-06-18",
                        "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "taskq-test", "version", "1"))))
                .post(PATH);
        assertThat(initialized.statusCode()).as(initialized.asString()).isEqualTo(200);
        assertThat(json(initialized).getString("result.serverInfo.name")).isEqualTo("taskq");
        McpClient client = new McpClient(token, initialized.header("Mcp-Session-Id"));
        assertThat(client.sessionId).as("Mcp-Session-Id").isNotBlank();
        request(token, client.sessionId).body(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"))
                .post(PATH).then().statusCode(202);
        return client;
    }

    /** A POST to the MCP endpoint with the headers every Streamable HTTP client sends. */
    static RequestSpecification request(String sessionId) {
        return request(Fixtures.TOKEN, sessionId);
    }

    static RequestSpecification request(String token, String sessionId) {
        RequestSpecification request = Fixtures.client(token).accept("application/json, text/event-stream");
        return sessionId == null ? request : request.header("Mcp-Session-Id", sessionId);
    }

    /** The {@code result} of a JSON-RPC request; fails on a JSON-RPC error. */
    JsonPath call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        Response response = request(token, sessionId).body(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params))
                .post(PATH);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonPath answer = json(response);
        assertThat(answer.getInt("id")).isEqualTo(id);
        assertThat(answer.getMap("error")).as("JSON-RPC error of %s", method).isNull();
        return answer.setRootPath("result");
    }

    /** The connection's Mcp-Session-Id. */
    String connection() {
        return sessionId;
    }

    List<String> toolNames() {
        return call("tools/list", Map.of()).getList("tools.name", String.class);
    }

    ToolResult callTool(String name, Map<String, ?> arguments) {
        JsonPath result = call("tools/call", Map.of("name", name, "arguments", arguments));
        List<String> texts = result.getList("content.text", String.class);
        return new ToolResult(String.join("\n", texts), result.getBoolean("isError"));
    }

    /** The JSON-RPC message of a response sent as JSON or as one Server-Sent Event. */
    private static JsonPath json(Response response) {
        String body = response.asString();
        if (response.contentType().startsWith("text/event-stream")) {
            body = Arrays.stream(body.split("\n")).filter(line -> line.startsWith("data:"))
                    .map(line -> line.substring("data:".length()).trim()).collect(Collectors.joining());
        }
        return new JsonPath(body);
    }
}
