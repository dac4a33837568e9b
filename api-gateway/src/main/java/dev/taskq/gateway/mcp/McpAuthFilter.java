package dev.taskq.gateway.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.gateway.api.BearerAuthFilter;
import dev.taskq.gateway.api.BearerTokens;
import dev.taskq.gateway.api.ProblemMappers;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Requires {@code Authorization: Bearer <token>} on the MCP endpoint, with the tokens the REST API accepts: the endpoint
 * is a Vert.x route, which the REST API's BearerAuthFilter never sees.
 */
// A Vert.x filter runs before every route, the MCP extension's included, so a rejected call never reaches a tool.
@Singleton
public class McpAuthFilter {

    /** Where the caller's principal ({@link BearerTokens#principalOf}) is kept in the routing context. */
    static final String PRINCIPAL = "taskq.principal";

    private static final String SCHEME = "Bearer ";
    // Filters run highest priority first; nothing else guards /mcp, so any value ahead of the routes will do.
    private static final int PRIORITY = 100;

    private final BearerTokens tokens;
    private final Problems problems;
    private final ObjectMapper json;
    private final String rootPath;

    public McpAuthFilter(BearerTokens tokens, Problems problems, ObjectMapper json,
                         @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String rootPath) {
        this.tokens = tokens;
        this.problems = problems;
        this.json = json;
        this.rootPath = rootPath.endsWith("/") ? rootPath.substring(0, rootPath.length() - 1) : rootPath;
    }

    void register(@Observes Filters filters) {
        filters.register(this::authenticate, PRIORITY);
    }

    void authenticate(RoutingContext context) {
        String path = context.normalizedPath();
        // The Streamable HTTP endpoint itself and the extension's legacy SSE endpoints below it.
        if (!path.equals(rootPath) && !path.startsWith(rootPath + "/")) {
            context.next();
            return;
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            String token = header.substring(SCHEME.length()).trim();
            if (tokens.accepts(token)) {
                context.put(PRINCIPAL, BearerTokens.principalOf(token));
                context.next();
                return;
            }
        }
        // The answer never includes the presented token.
        try {
            context.response()
                    .setStatusCode(401)
                    .putHeader(HttpHeaders.WWW_AUTHENTICATE, BearerAuthFilter.CHALLENGE)
                    .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMappers.PROBLEM_JSON)
                    .end(json.writeValueAsString(problems.unauthorized(path)));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }

    /** The principal of the MCP request being served, as {@link #authenticate} established it. */
    static String principal(RoutingContext context) {
        String principal = context == null ? null : context.get(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no authenticated MCP request is being served");
        }
        return principal;
    }
}
