package dev.taskq.gateway.mcp;

import dev.taskq.gateway.domain.CurrentCaller;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.SubmittingSession;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * Who is calling a tool: the principal of the MCP request being served, for the same idempotency-key scope as REST, and
 * the Claude Code session it comes from.
 */
// The MCP extension activates the request context of each call with its HTTP request, so CurrentVertxRequest holds it.
@Singleton
class McpCaller {

    /** The Streamable HTTP transport's session header: one MCP connection. */
    static final String CONNECTION_HEADER = "Mcp-Session-Id";

    private final CurrentVertxRequest request;
    private final SessionBindings bindings;
    private final CurrentCaller caller;

    McpCaller(CurrentVertxRequest request, SessionBindings bindings, CurrentCaller caller) {
        this.request = request;
        this.bindings = bindings;
        this.caller = caller;
    }

    String principal() {
        return caller.get().principal();
    }

    /**
     * The Claude Code session the call comes from: the one its {@code X-Claude-Session-Id} header names (a client that
     * knows its id), else the one SessionCheckIn bound its connection to; null when neither says.
     */
    String session() {
        RoutingContext context = request.getCurrent();
        String named = context == null ? null : context.request().getHeader(SubmittingSession.HEADER);
        if (named != null && !named.isEmpty()) {
            return SubmittingSession.check(SubmittingSession.HEADER, named);
        }
        String connection = connection();
        return connection == null ? null : bindings.sessionOf(connection).orElse(null);
    }

    /** The MCP connection ({@value #CONNECTION_HEADER}) the call came on; null before the client has one. */
    String connection() {
        RoutingContext context = request.getCurrent();
        return context == null ? null : context.request().getHeader(CONNECTION_HEADER);
    }

    /** The connection, or a tool error saying why there is none. */
    String requireConnection() {
        String connection = connection();
        if (connection == null || connection.isEmpty()) {
            throw new InvalidRequestException(CONNECTION_HEADER, "is missing: call this tool over an initialized MCP connection");
        }
        return connection;
    }
}
