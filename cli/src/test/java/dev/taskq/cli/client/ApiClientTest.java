package dev.taskq.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.cli.config.ConnectionSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void queryParametersAreEncodedRepeatedForListsAndLeftOutWhenNull() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", List.of("RUNNING", "QUEUED"));
        query.put("pool", null);
        query.put("cursor", "a b&c=d");
        query.put("limit", 50);

        assertThat(ApiClient.queryString(query)).isEqualTo("?status=RUNNING&status=QUEUED&cursor=a%20b%26c%3Dd&limit=50");
        assertThat(ApiClient.queryString(Map.of())).isEmpty();
    }

    @Test
    void anIdCanOnlyEverNameOneResource() {
        assertThat(ApiPaths.task("../workers")).isEqualTo("/api/v1/tasks/..%2Fworkers");
    }

    @Test
    void aStreamThatGoesSilentIsTakenForALostConnectionAfterTheEventsItSent() throws Exception {
        try (RawServer server = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                + "event: status\ndata: {\"status\":\"RUNNING\"}\n\n")) {
            ApiClient client = server.client(Duration.ofMillis(300));
            List<SseEvent> events = new ArrayList<>();

            assertThatThrownBy(() -> client.stream("/logs/stream", Map.of(), events::add))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessageContaining("lost the connection to " + server.url())
                    .hasMessageContaining("nothing received for");
            assertThat(events).containsExactly(new SseEvent("status", null, "{\"status\":\"RUNNING\"}"));
        }
    }

    @Test
    void aStreamTheServerClosesEndsAfterItsLastEvent() throws Exception {
        try (RawServer server = RawServer.answeringThenClosing("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Connection: close\r\n\r\nevent: end\ndata: {}\n\n")) {
            List<SseEvent> events = new ArrayList<>();

            server.client(Duration.ofSeconds(30)).stream("/logs/stream", Map.of(), events::add);

            assertThat(events).extracting(SseEvent::name).containsExactly("end");
        }
    }

    @Test
    void aStreamRefusedWithAProblemThrowsIt() throws Exception {
        String problem = "{\"title\":\"Task not found\",\"status\":404,\"detail\":\"No task x.\"}";
        try (RawServer server = RawServer.answeringThenClosing("HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n"
                + "Content-Length: " + problem.length() + "\r\nConnection: close\r\n\r\n" + problem)) {
            assertThatThrownBy(() -> server.client(Duration.ofSeconds(30)).stream("/logs/stream", Map.of(), event -> { }))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.title()).isEqualTo("Task not found");
                        assertThat(e.detail()).isEqualTo("No task x.");
                    });
        }
    }

    @Test
    void insideAClaudeCodeSessionAPostNamesTheSession() throws Exception {
        String created = "{\"id\":\"t\"}";
        try (RawServer server = RawServer.answeringThenClosing("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + created.length() + "\r\nConnection: close\r\n\r\n" + created)) {
            ApiClient inSession = new ApiClient(new ConnectionSettings(URI.create(server.url()), null, "sess-1"), JSON);
            inSession.post("/api/v1/tasks", Map.of("prompt", "p"));
            assertThat(server.lastRequestHead()).containsIgnoringCase("X-Claude-Session-Id: sess-1");

            new ApiClient(new ConnectionSettings(URI.create(server.url()), null), JSON).post("/api/v1/tasks", Map.of("prompt", "p"));
            assertThat(server.lastRequestHead()).doesNotContainIgnoringCase("X-Claude-Session-Id");
        }
    }

    /** A peer that answers every connection with fixed bytes, then holds it open or closes it: a network, not a taskq. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;
        private volatile String lastRequestHead = "";

        private RawServer(String response, boolean close) throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        lastRequestHead = readHead(connection);
                        connection.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
                        connection.getOutputStream().flush();
                        if (close) {
                            connection.close();
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        static RawServer answering(String response) throws IOException {
            return new RawServer(response, false);
        }

        static RawServer answeringThenClosing(String response) throws IOException {
            return new RawServer(response, true);
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        String lastRequestHead() {
            return lastRequestHead;
        }

        /** The request line and headers, up to the blank line that ends them. */
        private static String readHead(Socket connection) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int next = connection.getInputStream().read();
                if (next < 0) {
                    break;
                }
                head.append((char) next);
            }
            return head.toString();
        }

        ApiClient client(Duration idleTimeout) {
            return new ApiClient(new ConnectionSettings(URI.create(url()), null), JSON, idleTimeout);
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join();
        }
    }
}
