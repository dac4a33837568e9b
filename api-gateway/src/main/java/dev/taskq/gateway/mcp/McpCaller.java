package dev.taskq.gateway.mcp;

import dev.taskq.gateway.domain.CurrentCaller;
import jakarta.inject.Singleton;

/** Who is calling a tool: the principal of the MCP request being served, for the same idempotency-key scope as REST. */
@Singleton
class McpCaller {

    private final CurrentCaller caller;

    McpCaller(CurrentCaller caller) {
        this.caller = caller;
    }

    String principal() {
        return caller.get().principal();
    }
}
