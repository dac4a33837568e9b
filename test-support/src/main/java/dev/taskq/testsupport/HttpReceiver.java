package dev.taskq.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local HTTP receiver that answers as Discord, Telegram or a webhook endpoint would: scripted answers first,
 * then a default. Records every request it got. Used by notifier-service's tests and the system tests.
 */
public final class HttpReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String path, Map<String, String> headers, String body, Instant at) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** One answer: status, body, extra headers; {@code hang} keeps the request open until the receiver closes. */
    public record Answer(int status, String body, Map<String, String> headers, boolean hang) {
        public static Answer of(int status, String body) {
            return new Answer(status, body, Map.of(), false);
        }

        public static Answer noContent() {
            return new Answer(204, "", Map.of(), false);
        }

        public static Answer hanging() {
            return new Answer(0, "", Map.of(), true);
        }

        public Answer header(String name, String value) {
            Map<String, String> all = new HashMap<>(headers);
            all.put(name, value);
            return new Answer(status, body, all, hang);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Answer> scripted = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Function<Request, Answer> fallback = request -> Answer.noContent();

    private HttpReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static HttpReceiver start() {
        return start(0);
    }

    /** On a given port, for a receiver whose address is configured before it starts (the Telegram API base). */
    public static HttpReceiver start(int port) {
        try {
            return new HttpReceiver(port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers the next requests with these, in order, before falling back to the default. */
    public synchronized HttpReceiver thenAnswer(Answer... answers) {
        scripted.addAll(List.of(answers));
        return this;
    }

    public HttpReceiver byDefault(Function<Request, Answer> answer) {
        this.fallback = answer;
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        Request request = new Request(exchange.getRequestURI().getPath(), headers,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), Instant.now());
        Answer answer;
        synchronized (this) {
            requests.add(request);
            answer = scripted.isEmpty() ? null : scripted.poll();
        }
        if (answer == null) {
            answer = fallback.apply(request);
        }
        if (answer.hang()) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        if (!answer.body().isEmpty()) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(answer.status(), answer.status() == 204 || body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
