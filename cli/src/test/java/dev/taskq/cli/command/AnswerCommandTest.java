package dev.taskq.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskq.cli.CliRun;
import dev.taskq.cli.ExitCodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskq answer}: what it sends, what it prints and how it exits, against a local stand-in for the API. */
class AnswerCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "33333333-3333-3333-3333-333333333333";
    private static final String ANSWERED = """
            {"id":"%s","prompt":"Migrate","priority":5,"priorityClass":"P2","status":"QUEUED",
             "statusReason":"answered; resuming session 44444444-4444-4444-4444-444444444444","pool":"default",
             "question":null,"questions":[{"attempt":1,"question":"Which database?","askedAt":"2025-06-01T11:58:00Z",
             "answer":"staging","answeredAt":"2025-06-01T11:59:00Z"}],"currentAttempt":1,"maxAttempts":3,
             "metadata":{},"dependsOn":[],"attempts":[],"createdAt":"2025-06-01T11:00:00Z"}""".formatted(ID);

    @TempDir
    Path home;

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int answerStatus = 200;
    private volatile String answerBody = ANSWERED;
    private volatile String taskBody = ANSWERED;
    private final CountDownLatch streamsOpen = new CountDownLatch(1);

    private record Request(String method, String path, String authorization, String body) {}

    @BeforeEach
    void startApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A log stream holds its exchange open: every exchange gets a thread of its own.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/tasks/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Authorization"), body));
            if (exchange.getRequestMethod().equals("POST")) {
                respond(exchange, answerStatus, answerBody);
            } else if (path.endsWith("/logs/stream")) {
                stream(exchange);
            } else if (path.endsWith("/logs")) {
                respond(exchange, 200, "{\"items\":[],\"nextCursor\":7,\"taskStatus\":\"WAITING_FOR_INPUT\",\"complete\":false}");
            } else {
                respond(exchange, 200, taskBody);
            }
        });
        server.start();
    }

    @AfterEach
    void stopApi() {
        streamsOpen.countDown();
        server.stop(0);
    }

    private CliRun run(String stdin, String... args) {
        return CliRun.run(CliRun.environment(Map.of("TASKQ_SERVER", "http://127.0.0.1:" + server.getAddress().getPort(),
                "TASKQ_TOKEN", "secret"), home, stdin), args);
    }

    @Test
    void theAnswerIsPostedAndTheQueuedTaskIsSummarised() throws Exception {
        CliRun run = run("", "answer", ID, "staging, not production");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("Answered task " + ID
                + ": QUEUED (answered; resuming session 44444444-4444-4444-4444-444444444444)\n");
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/v1/tasks/" + ID + "/answer");
            assertThat(request.authorization()).isEqualTo("Bearer secret");
            assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"answer\": \"staging, not production\"}"));
        });
    }

    @Test
    void jsonOutputIsTheTaskAsTheApiReturnedIt() throws Exception {
        CliRun run = run("", "-o", "json", "answer", ID, "staging");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(ANSWERED));
    }

    @Test
    void aLongAnswerComesFromAFileOrStandardInput() throws Exception {
        Path file = home.resolve("answer.md");
        Files.writeString(file, "Use staging.\n\nThen report the row counts.\n\n");

        assertThat(run("", "answer", ID, "--file", file.toString()).exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run("Piped\nanswer\n", "answer", ID, "-").exitCode()).isEqualTo(ExitCodes.OK);

        assertThat(requests).extracting(request -> JSON.readTree(request.body()).path("answer").asText())
                .containsExactly("Use staging.\n\nThen report the row counts.", "Piped\nanswer");
    }

    @Test
    void aTaskNotWaitingForAnAnswerExitsThreeWithTheProblem() {
        answerStatus = 409;
        answerBody = """
                {"type":"https://taskq.dev/problems/task-not-waiting-for-input","title":"The task is not waiting for an answer",
                 "status":409,"detail":"Task %s is RUNNING, not WAITING_FOR_INPUT: there is no open question to answer."}""".formatted(ID);

        CliRun run = run("", "answer", ID, "staging");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).isEqualTo("taskq: The task is not waiting for an answer: Task " + ID
                + " is RUNNING, not WAITING_FOR_INPUT: there is no open question to answer.\n");
    }

    @Test
    void anUnknownTaskExitsFour() {
        answerStatus = 404;
        answerBody = "{\"title\":\"Task not found\",\"status\":404,\"detail\":\"No task with id " + ID + ".\"}";

        CliRun run = run("", "answer", ID, "staging");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).contains("taskq: Task not found: No task with id " + ID + ".");
    }

    @Test
    void noAnswerTwoAnswersABlankOneOrAnUnreadableFileAreUsageErrorsAndSendNothing() {
        for (String[] args : new String[][] {
                {"answer", ID},
                {"answer", ID, "text", "--file", "answer.md"},
                {"answer", ID, "   "},
                {"answer", ID, "--file", home.resolve("missing.md").toString()},
                {"answer", "not-a-uuid", "text"}}) {
            CliRun run = run("", args);
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(ExitCodes.USAGE);
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void waitingStopsWithExitCodeSixWhenTheResumedSessionAsksAgain() {
        taskBody = """
                {"id":"%s","prompt":"Migrate","priority":5,"priorityClass":"P2","status":"WAITING_FOR_INPUT",
                 "statusReason":"waiting for an answer to: And the schema?","pool":"default",
                 "question":{"text":"And the schema?","askedAt":"2025-06-01T11:59:30Z","attempt":2},"questions":[],
                 "currentAttempt":2,"maxAttempts":3,"metadata":{},"dependsOn":[],"attempts":[],
                 "createdAt":"2025-06-01T11:00:00Z"}""".formatted(ID);

        CliRun run = run("", "answer", ID, "staging", "--wait");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NEEDS_ANSWER);
        assertThat(run.err()).contains("Answered task " + ID, "WAITING_FOR_INPUT (waiting for an answer to: And the schema?)");
        assertThat(run.out()).contains("Question (attempt 2, asked 2025-06-01 11:59:30 (30s ago)):\n  And the schema?\n",
                "Answer it with: taskq answer " + ID + " TEXT");
    }

    @Test
    void followingStopsWithExitCodeSixWhenTheSessionAsksAndTellsTheQuestion() {
        taskBody = """
                {"id":"%s","status":"WAITING_FOR_INPUT","question":{"text":"Which schema?","askedAt":"2025-06-01T11:59:30Z",
                 "attempt":2}}""".formatted(ID);

        CliRun run = run("", "answer", ID, "staging", "--follow");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NEEDS_ANSWER);
        assertThat(run.out()).isEqualTo("--- attempt 2 ---\nLooking at the schema.\n");
        assertThat(run.err()).contains("WAITING_FOR_INPUT (waiting for an answer to: Which schema?)",
                "Task " + ID + " waits for an answer to its question:\n  Which schema?\nAnswer it with: taskq answer " + ID + " TEXT");
        assertThat(requests).extracting(Request::path).contains("/api/v1/tasks/" + ID + "/logs");
    }

    /** The log stream as the gateway sends it while the session runs, asks, and the stream stays open for its resume. */
    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().write("""
                event: status
                data: {"status":"RUNNING","statusReason":null}

                event: log
                id: 7
                data: {"id":7,"attempt":2,"lineNumber":1,"kind":"ASSISTANT","text":"Looking at the schema.","at":"2025-06-01T11:59:20Z"}

                event: status
                data: {"status":"WAITING_FOR_INPUT","statusReason":"waiting for an answer to: Which schema?"}

                """.getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        try {
            streamsOpen.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
