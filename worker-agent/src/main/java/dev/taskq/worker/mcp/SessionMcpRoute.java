package dev.taskq.worker.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.json.EventJson;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.session.SessionQuestions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The worker's MCP endpoint for its own sessions (Streamable HTTP, JSON responses only): a session posts JSON-RPC
 * messages with its attempt's bearer token. Only callers on this host's loopback get an answer at all (anyone else
 * 404, as if it did not exist), and only with the token of an attempt running now (401 otherwise). There is no
 * server-to-client stream: GET and DELETE are 405, as the transport allows.
 *
 * <p>A plain Vert.x route rather than a Jakarta REST resource: it is the worker's only endpoint of its own (health and
 * metrics are routes of their extensions), and leaving the REST stack out keeps some 400 classes out of an idle
 * worker's memory (benchmarks/README.md, worker memory).
 */
@ApplicationScoped
public class SessionMcpRoute {

    public static final String PATH = "/session-mcp";
    /** A JSON-RPC message of a session is small (a question is at most 4,000 characters); larger bodies get 413. */
    static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final String BEARER = "Bearer ";
    private static final String JSON = "application/json";

    private final SessionQuestions questions;
    private final boolean enabled;

    public SessionMcpRoute(SessionQuestions questions, WorkerConfig config) {
        this.questions = questions;
        this.enabled = config.askHuman().enabled();
    }

    void register(@Observes Router router) {
        // Blocking handlers run on the worker pool, off the event loop that also answers health checks.
        router.route(HttpMethod.POST, PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .blockingHandler(this::post, false);
        router.route(HttpMethod.GET, PATH).handler(this::noStream);
        router.route(HttpMethod.DELETE, PATH).handler(this::noStream);
    }

    private void post(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (refused(context)) {
            return;
        }
        Optional<SessionQuestions.Channel> channel =
                questions.find(bearerToken(request.getHeader(HttpHeaderNames.AUTHORIZATION)));
        if (channel.isEmpty()) {
            end(context, HttpResponseStatus.UNAUTHORIZED);
            return;
        }
        Buffer body = context.body().buffer();
        JsonNode message;
        try {
            message = EventJson.mapper().readTree(body == null ? new byte[0] : body.getBytes());
        } catch (IOException | RuntimeException e) {
            json(context, HttpResponseStatus.BAD_REQUEST, SessionMcpProtocol.parseError(e.getMessage()));
            return;
        }
        Optional<JsonNode> answer = SessionMcpProtocol.handle(message, channel.get());
        if (answer.isPresent()) {
            json(context, HttpResponseStatus.OK, answer.get());
        } else {
            // A notification or a response: accepted, nothing to say.
            end(context, HttpResponseStatus.ACCEPTED);
        }
    }

    /** GET and DELETE: the server offers no stream of its own messages and tracks no session beyond the token. */
    private void noStream(RoutingContext context) {
        if (!refused(context)) {
            context.response().putHeader(HttpHeaderNames.ALLOW, "POST");
            end(context, HttpResponseStatus.METHOD_NOT_ALLOWED);
        }
    }

    /**
     * Answers 404 unless AskHuman is on and the caller is on loopback, and 403 for a browser page of any other origin
     * (the transport's guard against DNS rebinding). False when the request may go on to the token check.
     */
    private boolean refused(RoutingContext context) {
        if (!enabled || !isLoopback(context.request().remoteAddress())) {
            end(context, HttpResponseStatus.NOT_FOUND);
            return true;
        }
        String origin = context.request().getHeader(HttpHeaderNames.ORIGIN);
        if (origin != null && !isLoopbackOrigin(origin)) {
            end(context, HttpResponseStatus.FORBIDDEN);
            return true;
        }
        return false;
    }

    private static void json(RoutingContext context, HttpResponseStatus status, JsonNode body) {
        String text;
        try {
            text = EventJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        context.response().setStatusCode(status.code()).putHeader(HttpHeaderNames.CONTENT_TYPE, JSON).end(text);
    }

    private static void end(RoutingContext context, HttpResponseStatus status) {
        context.response().setStatusCode(status.code()).end();
    }

    static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            // An address literal: no lookup happens.
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isLoopbackOrigin(String origin) {
        try {
            String host = URI.create(origin.trim()).getHost();
            if (host == null) {
                return false;
            }
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return isAddressLiteral(literal) && InetAddress.getByName(literal).isLoopbackAddress();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
