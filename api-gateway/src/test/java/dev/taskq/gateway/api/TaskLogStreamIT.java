package dev.taskq.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Follows the log stream as a plain HTTP client would, parsing the Server-Sent Events by hand. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskLogStreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/tasks")
    URL tasks;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> openStreams = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        openStreams.forEach(Stream::close);
        http.close();
    }

    @Test
    void theStreamSendsExistingLinesThenNewOnesAndEndsWhenTheTaskFinishes() throws Exception {
        UUID task = Fixtures.insertTask(TaskStatus.RUNNING);
        long first = Fixtures.insertLog(task, 1, LogKind.SYSTEM, "init");
        long second = Fixtures.insertLog(task, 2, LogKind.ASSISTANT, "working on it");

        BlockingQueue<Event> events = follow(task, null);

        assertThat(next(events)).isEqualTo(new Event("status", null, "RUNNING"));
        Event firstLine = next(events);
        assertThat(firstLine.name()).isEqualTo("log");
        assertThat(firstLine.id()).isEqualTo(String.valueOf(first));
        assertThat(firstLine.json().get("text").asText()).isEqualTo("init");
        assertThat(firstLine.json().get("kind").asText()).isEqualTo("SYSTEM");
        assertThat(next(events).id()).isEqualTo(String.valueOf(second));

        long third = Fixtures.insertLog(task, 3, LogKind.TOOL_USE, "Bash: ls");
        Event live = next(events);
        assertThat(live.id()).isEqualTo(String.valueOf(third));
        assertThat(live.json().get("text").asText()).isEqualTo("Bash: ls");

        Fixtures.insertLog(task, 4, LogKind.RESULT, "all done");
        Fixtures.setStatus(task, TaskStatus.SUCCEEDED);
        List<Event> rest = new ArrayList<>();
        Event event;
        do {
            event = next(events);
            rest.add(event);
        } while (!event.name().equals("end"));

        assertThat(rest).extracting(Event::name).containsExactlyInAnyOrder("log", "status", "end");
        assertThat(rest.getLast().json().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(events.poll(5, TimeUnit.SECONDS)).as("the stream closes after 'end'").isEqualTo(Event.CLOSED);
    }

    @Test
    void theStreamResumesAfterTheLastEventId() throws Exception {
        UUID task = Fixtures.insertTask(TaskStatus.RUNNING);
        long first = Fixtures.insertLog(task, 1, LogKind.ASSISTANT, "one");
        long second = Fixtures.insertLog(task, 2, LogKind.ASSISTANT, "two");
        long third = Fixtures.insertLog(task, 3, LogKind.ASSISTANT, "three");
        Fixtures.setStatus(task, TaskStatus.FAILED);

        BlockingQueue<Event> events = follow(task, first);

        assertThat(next(events)).isEqualTo(new Event("status", null, "FAILED"));
        assertThat(next(events).id()).isEqualTo(String.valueOf(second));
        assertThat(next(events).id()).isEqualTo(String.valueOf(third));
        Event end = next(events);
        assertThat(end.name()).isEqualTo("end");
        assertThat(end.json().get("status").asText()).isEqualTo("FAILED");
        assertThat(next(events)).isEqualTo(Event.CLOSED);
    }

    @Test
    void theStreamOfAnUnknownTaskIsNotFound() throws Exception {
        HttpResponse<String> response = http.send(request(UUID.randomUUID(), null), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    private BlockingQueue<Event> follow(UUID task, Long lastEventId) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(request(task, lastEventId), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        openStreams.add(response.body());
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> parse(response.body(), events));
        return events;
    }

    private HttpRequest request(UUID task, Long lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tasks + "/" + task + "/logs/stream"))
                .header("Authorization", "Bearer " + Fixtures.TOKEN)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        return request.GET().build();
    }

    /** Splits the text/event-stream into events at blank lines; comments (keep-alives) are skipped. */
    private static void parse(Stream<String> lines, BlockingQueue<Event> events) {
        String[] current = new String[3];
        try {
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (current[0] != null || current[2] != null) {
                        events.add(new Event(current[0] == null ? "message" : current[0], current[1], current[2]));
                    }
                    current[0] = current[1] = current[2] = null;
                } else if (line.startsWith("event:")) {
                    current[0] = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    current[1] = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    current[2] = line.substring(5).trim();
                }
            });
        } catch (RuntimeException e) {
            // The test closed the stream.
        }
        events.add(Event.CLOSED);
    }

    private static Event next(BlockingQueue<Event> events) throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    /** One event; a status event compares by its status only. */
    private record Event(String name, String id, String data) {
        static final Event CLOSED = new Event("(closed)", null, null);

        Event {
            if ("status".equals(name) && data != null && data.startsWith("{")) {
                data = readJson(data).get("status").asText();
            }
        }

        JsonNode json() {
            return readJson(data);
        }

        private static JsonNode readJson(String data) {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + data, e);
            }
        }
    }
}
