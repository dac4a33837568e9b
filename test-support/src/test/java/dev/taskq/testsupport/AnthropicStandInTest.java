package dev.taskq.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.testsupport.AnthropicStandIn.Reply;
import dev.taskq.testsupport.AnthropicStandIn.Script;
import org.junit.jupiter.api.Test;

class AnthropicStandInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROMPT = """
            {"model":"claude-opus-4-8","stream":true,"tools":[{"name":"Bash"}],
             "messages":[{"role":"user","content":[{"type":"text","text":"say hello"}]}]}""";
    private static final String AFTER_TOOL = """
            {"model":"claude-opus-4-8","stream":true,"tools":[{"name":"Bash"}],
             "messages":[{"role":"user","content":"say hello"},
                         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"hello"}]}]}""";

    @Test
    void a_streamed_tool_use_arrives_as_server_sent_events_in_the_api_order() throws Exception {
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.bashThenText("echo hello", "done"))) {
            HttpResponse<String> response = post(api, "/v1/messages?beta=true", PROMPT);

            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
            List<JsonNode> events = events(response.body());
            assertEquals(List.of("message_start",
                    "content_block_start", "content_block_delta", "content_block_stop",
                    "content_block_start", "content_block_delta", "content_block_stop",
                    "message_delta", "message_stop"), events.stream().map(e -> e.path("type").asText()).toList());
            assertEquals("claude-opus-4-8", events.get(0).path("message").path("model").asText());
            assertEquals("tool_use", events.get(4).path("content_block").path("type").asText());
            assertEquals("Bash", events.get(4).path("content_block").path("name").asText());
            JsonNode input = JSON.readTree(events.get(5).path("delta").path("partial_json").asText());
            assertEquals("echo hello", input.path("command").asText());
            assertEquals("tool_use", events.get(7).path("delta").path("stop_reason").asText());
            assertTrue(events.get(7).path("usage").path("output_tokens").asInt() > 0);
        }
    }

    @Test
    void after_the_tool_result_the_script_ends_the_turn_with_the_final_text() throws Exception {
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.bashThenText("echo hello", "done"))) {
            List<JsonNode> events = events(post(api, "/v1/messages", AFTER_TOOL).body());

            assertEquals("done", events.get(2).path("delta").path("text").asText());
            assertEquals("end_turn", events.get(4).path("delta").path("stop_reason").asText());
            assertEquals(1, api.conversationRequests().size());
        }
    }

    @Test
    void a_side_request_without_tools_gets_a_plain_json_message() throws Exception {
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.error(500, "never used"))) {
            HttpResponse<String> response = post(api, "/v1/messages?beta=true",
                    "{\"model\":\"claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"title?\"}]}");

            assertEquals(200, response.statusCode());
            JsonNode message = JSON.readTree(response.body());
            assertEquals("message", message.path("type").asText());
            assertEquals("text", message.path("content").get(0).path("type").asText());
            assertEquals("end_turn", message.path("stop_reason").asText());
            assertEquals(1, api.requests().size());
            assertTrue(api.conversationRequests().isEmpty());
        }
    }

    @Test
    void an_error_script_answers_in_the_api_error_shape_with_its_status() throws Exception {
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.error(400, "mock error"))) {
            HttpResponse<String> response = post(api, "/v1/messages", PROMPT);

            assertEquals(400, response.statusCode());
            JsonNode body = JSON.readTree(response.body());
            assertEquals("error", body.path("type").asText());
            assertEquals("invalid_request_error", body.path("error").path("type").asText());
            assertEquals("mock error", body.path("error").path("message").asText());
        }
    }

    @Test
    void a_slow_script_holds_the_request_open_before_answering() throws Exception {
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.slowText(Duration.ofMillis(600), "late"))) {
            long started = System.nanoTime();
            HttpResponse<String> response = post(api, "/v1/messages", PROMPT);

            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 600);
            assertTrue(response.body().contains("late"));
        }
    }

    @Test
    void any_tool_can_be_scripted_turn_by_turn() throws Exception {
        Script script = Script.turns(
                Reply.toolUse("Delegating.", "mcp__taskq__DelegateTask", Map.of("prompt", "sub task")),
                Reply.text("all delegated"));
        try (AnthropicStandIn api = AnthropicStandIn.start(script)) {
            List<JsonNode> first = events(post(api, "/v1/messages", PROMPT).body());
            List<JsonNode> second = events(post(api, "/v1/messages", AFTER_TOOL).body());

            assertEquals("mcp__taskq__DelegateTask", first.get(4).path("content_block").path("name").asText());
            assertEquals("all delegated", second.get(2).path("delta").path("text").asText());
        }
    }

    @Test
    void probes_on_other_paths_get_an_empty_json_object() throws Exception {
        try (AnthropicStandIn api = AnthropicStandIn.start(Script.text("hi"))) {
            HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

            assertEquals(200, get.statusCode());
            assertEquals("{}", get.body());
            assertEquals(200, head.statusCode());
            assertTrue(api.unexpectedRequests().isEmpty());
        }
    }

    private static HttpResponse<String> post(AnthropicStandIn api, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> events(String sse) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(JSON.readTree(line.substring("data: ".length())));
            }
        }
        return events;
    }
}
