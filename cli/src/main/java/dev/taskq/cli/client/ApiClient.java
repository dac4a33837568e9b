package dev.taskq.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.cli.config.ConnectionSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Calls the taskq REST API: JSON in and out, errors as {@link ApiException}, the log stream as events. */
public final class ApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A log stream silent this long (four keep-alive intervals of the gateway) is taken for a dead connection. */
    static final Duration STREAM_IDLE_TIMEOUT = Duration.ofSeconds(60);
    static final String CLAUDE_SESSION_HEADER = "X-Claude-Session-Id";

    private final ConnectionSettings settings;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration streamIdleTimeout;

    public ApiClient(ConnectionSettings settings, ObjectMapper json) {
        this(settings, json, STREAM_IDLE_TIMEOUT);
    }

    ApiClient(ConnectionSettings settings, ObjectMapper json, Duration streamIdleTimeout) {
        this.settings = settings;
        this.json = json;
        this.streamIdleTimeout = streamIdleTimeout;
        // HTTP/1.1: no h2c upgrade dance on plain http, and one connection per request is all a CLI needs.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public JsonNode get(String path) {
        return get(path, Map.of());
    }

    /** GET with query parameters; a list value repeats the parameter, a null value leaves it out. */
    public JsonNode get(String path, Map<String, ?> query) {
        return send(request(path + queryString(query)).GET()).body();
    }

    /** POST with a JSON body (none when {@code body} is null). */
    public Response post(String path, Object body) {
        return post(path, body, Map.of());
    }

    /**
     * POST with a JSON body and headers. Inside a Claude Code session it names the session ({@code X-Claude-Session-Id}),
     * which the gateway records on the tasks, workflows, retries and resumes it creates and ignores elsewhere.
     */
    public Response post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path);
        if (settings.claudeSession() != null) {
            request.header(CLAUDE_SESSION_HEADER, settings.claudeSession());
        }
        headers.forEach(request::header);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(toJson(body)));
        }
        return send(request);
    }

    /**
     * Reads an event stream until the server closes it or {@code events} throws. A connection lost on the way, or
     * silent for longer than {@link #STREAM_IDLE_TIMEOUT} (the gateway sends a keep-alive every 15 s), is an
     * {@link UnreachableException}, so the caller can reconnect from the last event it saw.
     */
    public void stream(String path, Map<String, ?> query, Consumer<SseEvent> events) {
        HttpRequest request = request(path + queryString(query)).setHeader("Accept", "text/event-stream").GET()
                .timeout(Duration.ofDays(365))
                .build();
        LineQueue lines = new LineQueue();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, lines);
        exchange.whenComplete((response, failure) -> lines.finish(failure));
        boolean answered = false;
        try {
            int status = lines.status(CONNECT_TIMEOUT.plus(REQUEST_TIMEOUT));
            answered = true;
            if (status >= 400) {
                StringBuilder body = new StringBuilder();
                for (String line = lines.next(REQUEST_TIMEOUT); line != null; line = lines.next(REQUEST_TIMEOUT)) {
                    body.append(line).append('\n');
                }
                throw ApiException.of(status, parse(body.toString()));
            }
            SseParser parser = new SseParser(events);
            for (String line = lines.next(streamIdleTimeout); line != null; line = lines.next(streamIdleTimeout)) {
                parser.line(line);
            }
            parser.line("");
        } catch (IOException e) {
            throw new UnreachableException((answered ? "lost the connection to " : "cannot reach taskq at ")
                    + settings.server() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while reading from " + settings.server(), e);
        } finally {
            exchange.cancel(true);
            lines.cancel();
        }
    }

    public URI server() {
        return settings.server();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.server() + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "taskq-cli");
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw ApiException.of(response.statusCode(), body);
        }
        return new Response(response.statusCode(), body);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UnreachableException("cannot reach taskq at " + settings.server() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while calling " + settings.server(), e);
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            // A proxy's HTML error page, say: the status still tells what happened.
            return json.getNodeFactory().textNode(body);
        }
    }

    private String toJson(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    static String queryString(Map<String, ?> query) {
        Map<String, Object> present = new LinkedHashMap<>();
        query.forEach((name, value) -> {
            if (value != null) {
                present.put(name, value);
            }
        });
        if (present.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        present.forEach((name, value) -> {
            List<?> values = value instanceof List<?> list ? list : List.of(value);
            for (Object item : values) {
                text.append(text.isEmpty() ? '?' : '&').append(encode(name)).append('=').append(encode(String.valueOf(item)));
            }
        });
        return text.toString();
    }

    /** A path segment or query value, percent-encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Hands the lines of a streamed response from the HTTP client's threads to the reading thread, which waits for
     * each with a timeout, so a connection that went silent cannot block it forever.
     */
    private static final class LineQueue implements HttpResponse.BodyHandler<Void>, Flow.Subscriber<String> {

        private static final Object END = new Object();

        private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> status = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        @Override
        public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo response) {
            status.complete(response.statusCode());
            return HttpResponse.BodySubscribers.fromLineSubscriber(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            items.add(line);
        }

        @Override
        public void onError(Throwable failure) {
            finish(failure);
        }

        @Override
        public void onComplete() {
            finish(null);
        }

        /** The exchange ended: normally (null) or with {@code failure}. Later calls change nothing the reader sees. */
        void finish(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause != null && !status.isDone()) {
                status.completeExceptionally(cause);
            }
            items.add(cause == null ? END : cause);
        }

        int status(Duration timeout) throws IOException, InterruptedException {
            try {
                return status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (TimeoutException e) {
                throw new HttpTimeoutException("no answer within " + timeout.toSeconds() + " s");
            }
        }

        /** The next line, or null at the end of the body. */
        String next(Duration timeout) throws IOException, InterruptedException {
            Object item = items.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new HttpTimeoutException("nothing received for " + timeout.toSeconds() + " s");
            }
            if (item == END) {
                items.add(END);
                return null;
            }
            if (item instanceof Throwable failure) {
                items.add(failure);
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            return (String) item;
        }

        void cancel() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }

    /** A successful answer: its status (201 created, 200 for an idempotent repeat, …) and its JSON body. */
    public record Response(int status, JsonNode body) {}
}
