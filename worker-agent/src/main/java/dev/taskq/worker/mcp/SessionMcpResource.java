package dev.taskq.worker.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.json.EventJson;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.session.SessionQuestions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
 */
@Path(SessionMcpResource.PATH)
public class SessionMcpResource {

    public static final String PATH = "/session-mcp";
    private static final String BEARER = "Bearer ";

    private final SessionQuestions questions;
    private final boolean enabled;

    public SessionMcpResource(SessionQuestions questions, WorkerConfig config) {
        this.questions = questions;
        this.enabled = config.askHuman().enabled();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(@Context HttpServerRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Origin") String origin, byte[] body) {
        Optional<Response> refused = refusal(request, origin);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<SessionQuestions.Channel> channel = questions.find(bearerToken(authorization));
        if (channel.isEmpty()) {
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }
        JsonNode message;
        try {
            message = EventJson.mapper().readTree(body);
        } catch (IOException | RuntimeException e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(SessionMcpProtocol.parseError(e.getMessage())).type(MediaType.APPLICATION_JSON).build();
        }
        return SessionMcpProtocol.handle(message, channel.get())
                .map(answer -> Response.ok(answer, MediaType.APPLICATION_JSON).build())
                // A notification or a response: accepted, nothing to say.
                .orElseGet(() -> Response.accepted().build());
    }

    /** The server offers no stream of its own messages; the transport lets it say so with 405. */
    @GET
    public Response stream(@Context HttpServerRequest request, @HeaderParam("Origin") String origin) {
        return refusal(request, origin).orElseGet(() -> Response.status(Response.Status.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, "POST").build());
    }

    /** Sessions are not tracked beyond the token, so there is nothing to end. */
    @DELETE
    public Response end(@Context HttpServerRequest request, @HeaderParam("Origin") String origin) {
        return stream(request, origin);
    }

    /**
     * 404 unless AskHuman is on and the caller is on loopback; 403 for a browser page of any other origin (the
     * transport's guard against DNS rebinding). Empty when the request may go on to the token check.
     */
    private Optional<Response> refusal(HttpServerRequest request, String origin) {
        if (!enabled || !isLoopback(request.remoteAddress())) {
            return Optional.of(Response.status(Response.Status.NOT_FOUND).build());
        }
        if (origin != null && !isLoopbackOrigin(origin)) {
            return Optional.of(Response.status(Response.Status.FORBIDDEN).build());
        }
        return Optional.empty();
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
