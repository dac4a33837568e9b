package dev.taskq.gateway.mcp;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Singleton;

/** Who is calling a tool: the principal of the MCP request being served, for the same idempotency-key scope as REST. */
// The MCP extension activates the request context of each call with its HTTP request, so CurrentVertxRequest holds it.
@Singleton
class McpCaller {

    private final CurrentVertxRequest request;

    McpCaller(CurrentVertxRequest request) {
        this.request = request;
    }

    String principal() {
        return McpAuthFilter.principal(request.getCurrent());
    }
}
