package dev.taskq.gateway.mcp;

import dev.taskq.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Claude Code session each MCP connection serves, as the kit's SessionCheckIn hook told it, and when it last
 * checked in. Claude Code sends no session id with MCP requests (verified with CLI 2.1.197: neither the MCP headers
 * nor {@code .mcp.json} expansion can carry it), while a hook knows it: the hook calls a tool on the same connection.
 */
// In memory on purpose: the MCP extension keeps its connections (Mcp-Session-Id) in this replica's memory too, so a
// binding lives exactly as long as what it binds. Least recently used first out, so the map stays bounded.
@Singleton
class SessionBindings {

    /** A connection's session and its previous check-in (null before the first). */
    record Binding(String session, Instant lastCheckIn) {}

    private final Map<String, Binding> byConnection;

    SessionBindings(GatewayConfig config) {
        int max = config.hooks().maxBoundConnections();
        this.byConnection = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Binding> eldest) {
                return size() > max;
            }
        };
    }

    /** Binds {@code connection} to {@code session} as of {@code now}; returns the binding it had before, if any. */
    synchronized Optional<Binding> checkIn(String connection, String session, Instant now) {
        return Optional.ofNullable(byConnection.put(connection, new Binding(session, now)));
    }

    /** The session {@code connection} was last bound to. */
    synchronized Optional<String> sessionOf(String connection) {
        Binding binding = byConnection.get(connection);
        return binding == null ? Optional.empty() : Optional.of(binding.session());
    }
}
