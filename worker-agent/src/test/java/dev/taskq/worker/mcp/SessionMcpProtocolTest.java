package dev.taskq.worker.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.json.EventJson;
import dev.taskq.worker.session.SessionQuestions;
import io.vertx.core.net.SocketAddress;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionMcpProtocolTest {

    private final SessionQuestions questions = new SessionQuestions();
    private final SessionQuestions.Channel channel = questions.open(new AttemptRef(UUID.randomUUID(), 1));

    @Test
    void initializeAgreesOnTheClientsProtocolVersionWhenItKnowsItAndOffersTools() {
        JsonNode answer = answer("""
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",
                 "capabilities":{"roots":{},"elicitation":{}},"clientInfo":{"name":"claude-code","version":"2.1.197"}}}""");

        assertThat(answer.path("id").asInt()).isZero();
        assertThat(answer.at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(answer.at("/result/capabilities/tools").isObject()).isTrue();
        assertThat(answer.at("/result/serverInfo/name").asText()).isEqualTo("taskq-worker");
    }

    @Test
    void initializeOffersItsNewestVersionForOneItDoesNotKnow() {
        JsonNode answer = answer("""
                {"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":"2099-01-01"}}""");

        assertThat(answer.path("id").asText()).isEqualTo("a");
        assertThat(answer.at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void notificationsAndResponsesGetNoAnswer() {
        assertThat(handle("""
                {"jsonrpc":"2.0","method":"notifications/initialized"}""")).isEmpty();
        assertThat(handle("""
                {"jsonrpc":"2.0","id":7,"result":{}}""")).isEmpty();
    }

    @Test
    void pingIsAnsweredWithAnEmptyResult() {
        JsonNode answer = answer("""
                {"jsonrpc":"2.0","id":3,"method":"ping"}""");

        assertThat(answer.path("result").isObject()).isTrue();
        assertThat(answer.path("result").isEmpty()).isTrue();
    }

    @Test
    void theOneToolIsAskHumanWithARequiredBoundedQuestion() {
        JsonNode tools = answer("""
                {"jsonrpc":"2.0","id":1,"method":"tools/list"}""").at("/result/tools");

        assertThat(tools).hasSize(1);
        JsonNode tool = tools.get(0);
        assertThat(tool.path("name").asText()).isEqualTo("AskHuman");
        assertThat(tool.path("description").asText()).contains("end your turn");
        assertThat(tool.at("/inputSchema/required/0").asText()).isEqualTo("question");
        assertThat(tool.at("/inputSchema/properties/question/type").asText()).isEqualTo("string");
        assertThat(tool.at("/inputSchema/properties/question/maxLength").asInt()).isEqualTo(4000);
    }

    @Test
    void askingRecordsTheQuestionAndTellsTheModelToEndItsTurn() {
        JsonNode answer = answer(call("Which database should I use?"));

        assertThat(answer.at("/result/isError").asBoolean()).isFalse();
        assertThat(answer.at("/result/content/0/type").asText()).isEqualTo("text");
        assertThat(answer.at("/result/content/0/text").asText())
                .contains("sent to a human", "End your turn now", "resumed", "answer as the next message");
        assertThat(channel.question()).isEqualTo("Which database should I use?");
    }

    @Test
    void aSecondQuestionOfTheSameAttemptIsAToolErrorAndKeepsTheFirst() {
        answer(call("First?"));

        JsonNode second = answer(call("Second?"));

        assertThat(second.at("/result/isError").asBoolean()).isTrue();
        assertThat(second.at("/result/content/0/text").asText()).contains("already pending", "\"First?\"", "end your turn");
        assertThat(channel.question()).isEqualTo("First?");
    }

    @Test
    void aMissingOrTooLongQuestionIsAToolErrorAndRecordsNothing() {
        JsonNode missing = answer("""
                {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"AskHuman","arguments":{}}}""");
        JsonNode tooLong = answer(call("x".repeat(4001)));

        assertThat(missing.at("/result/isError").asBoolean()).isTrue();
        assertThat(missing.at("/result/content/0/text").asText()).contains("question is required");
        assertThat(tooLong.at("/result/isError").asBoolean()).isTrue();
        assertThat(tooLong.at("/result/content/0/text").asText()).contains("4001 characters", "at most 4000");
        assertThat(channel.question()).isNull();
    }

    @Test
    void anUnknownToolOrMethodIsAProtocolError() {
        JsonNode tool = answer("""
                {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"DeleteEverything","arguments":{}}}""");
        JsonNode method = answer("""
                {"jsonrpc":"2.0","id":5,"method":"resources/list"}""");

        assertThat(tool.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(tool.at("/error/message").asText()).isEqualTo("unknown tool: DeleteEverything");
        assertThat(method.at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(method.path("id").asInt()).isEqualTo(5);
    }

    @Test
    void aBatchIsAnsweredPerRequest() {
        JsonNode answer = answer("""
                [{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":8,"method":"ping"}]""");

        assertThat(answer.isArray()).isTrue();
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).path("id").asInt()).isEqualTo(8);
    }

    @Test
    void somethingThatIsNotJsonRpcIsAnInvalidRequest() {
        assertThat(answer("{\"id\":1,\"method\":\"ping\"}").at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void onlyLoopbackCallersAndOriginsAreLetIn() {
        assertThat(SessionMcpRoute.isLoopback(SocketAddress.inetSocketAddress(40000, "127.0.0.1"))).isTrue();
        assertThat(SessionMcpRoute.isLoopback(SocketAddress.inetSocketAddress(40000, "::1"))).isTrue();
        assertThat(SessionMcpRoute.isLoopback(SocketAddress.inetSocketAddress(40000, "10.1.2.3"))).isFalse();
        assertThat(SessionMcpRoute.isLoopback(null)).isFalse();
        assertThat(SessionMcpRoute.isLoopbackOrigin("http://localhost:3000")).isTrue();
        assertThat(SessionMcpRoute.isLoopbackOrigin("http://127.0.0.1")).isTrue();
        assertThat(SessionMcpRoute.isLoopbackOrigin("http://[::1]:8080")).isTrue();
        assertThat(SessionMcpRoute.isLoopbackOrigin("https://evil.example")).isFalse();
        assertThat(SessionMcpRoute.isLoopbackOrigin("null")).isFalse();
    }

    @Test
    void theEndpointIsOfferedOnLoopbackWhateverLoopbackAddressTheServerBinds() {
        assertThat(SessionMcpEndpoint.loopbackHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(SessionMcpEndpoint.loopbackHost("localhost")).isEqualTo("127.0.0.1");
        assertThat(SessionMcpEndpoint.loopbackHost("::")).isEqualTo("127.0.0.1");
        assertThat(SessionMcpEndpoint.loopbackHost("127.0.0.2")).isEqualTo("127.0.0.2");
        assertThat(SessionMcpEndpoint.loopbackHost("::1")).isEqualTo("[::1]");
        assertThat(SessionMcpEndpoint.loopbackHost("10.1.2.3")).isNull();
    }

    private static String call(String question) {
        return "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"AskHuman\","
                + "\"arguments\":{\"question\":" + EventJson.mapper().valueToTree(question) + "}}}";
    }

    private JsonNode answer(String message) {
        return handle(message).orElseThrow();
    }

    private Optional<JsonNode> handle(String message) {
        try {
            return SessionMcpProtocol.handle(EventJson.mapper().readTree(message), channel);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
