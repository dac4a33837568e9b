package dev.taskq.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.gateway.domain.ApiKeys;
import dev.taskq.gateway.domain.Caller;
import dev.taskq.gateway.domain.CurrentCaller;
import dev.taskq.gateway.domain.RateLimiter;
import dev.taskq.store.persistence.DatabaseFailures;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Requires {@code Authorization: Bearer <API key or bootstrap token>} on the REST API (/api) and the MCP endpoint, puts
 * the {@link Caller} on the request for {@link CurrentCaller}, and applies the key's rate limit (429 with Retry-After).
 */
// A Vert.x filter runs before every route, REST's and the MCP extension's, so an unauthenticated call reaches neither
// (nor is its body read). The /q endpoints (health, metrics, OpenAPI, Swagger UI) and the dashboard's static files are
// not guarded: the dashboard's own API calls carry the key.
@Singleton
public class AuthenticationFilter {

    /** The WWW-Authenticate challenge of a 401. */
    public static final String CHALLENGE = "Bearer realm=\"taskq\"";

    private static final Logger LOG = Logger.getLogger(AuthenticationFilter.class);
    private static final String SCHEME = "Bearer ";
    private static final String API_ROOT = "/api";
    // Filters run highest priority first; nothing else guards these paths, so any value ahead of the routes will do.
    private static final int PRIORITY = 100;

    private final ApiKeys keys;
    private final RateLimiter rateLimiter;
    private final ObjectMapper json;
    private final String mcpRoot;

    public AuthenticationFilter(ApiKeys keys, RateLimiter rateLimiter, ObjectMapper json,
                                @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpRoot) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.json = json;
        this.mcpRoot = mcpRoot.endsWith("/") ? mcpRoot.substring(0, mcpRoot.length() - 1) : mcpRoot;
    }

    void register(@Observes Filters filters) {
        filters.register(this::authenticate, PRIORITY);
    }

    void authenticate(RoutingContext context) {
        String path = context.normalizedPath();
        if (!under(path, API_ROOT) && !under(path, mcpRoot)) {
            context.next();
            return;
        }
        String token = bearerToken(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            reject(context, ProblemType.UNAUTHORIZED, "Send a valid API key as 'Authorization: Bearer <key>'.");
            return;
        }
        Optional<Caller> cached = keys.authenticateCached(token);
        if (cached != null) {
            admit(context, cached);
            return;
        }
        // A key not looked up lately needs a database read: off the event loop, with the request body held back meanwhile.
        context.request().pause();
        context.vertx().executeBlocking(() -> keys.authenticate(token), false).onComplete(result -> {
            context.request().resume();
            if (result.succeeded()) {
                admit(context, result.result());
            } else if (DatabaseFailures.isUnreachable(result.cause())) {
                LOG.warnf("Database unavailable authenticating a request to %s", path);
                context.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(ProblemMappers.DATABASE_RETRY_AFTER_SECONDS));
                reject(context, ProblemType.DATABASE_UNAVAILABLE, "The database is unavailable, so the API key cannot be checked. "
                        + "Retry in " + ProblemMappers.DATABASE_RETRY_AFTER_SECONDS + " seconds.");
            } else {
                context.fail(result.cause());
            }
        });
    }

    private void admit(RoutingContext context, Optional<Caller> caller) {
        if (caller.isEmpty()) {
            // The answer never includes the presented key, nor says whether it was unknown, expired or revoked.
            reject(context, ProblemType.UNAUTHORIZED,
                    "The API key is unknown, expired or revoked; send a valid one as 'Authorization: Bearer <key>'.");
            return;
        }
        OptionalLong retryAfter = rateLimiter.acquire(caller.get());
        if (retryAfter.isPresent()) {
            context.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter.getAsLong()));
            reject(context, ProblemType.RATE_LIMITED, "The key '" + caller.get().name() + "' sent more requests per second "
                    + "than it may; retry after " + retryAfter.getAsLong() + " s.");
            return;
        }
        context.put(CurrentCaller.CONTEXT_KEY, caller.get());
        context.next();
    }

    private void reject(RoutingContext context, ProblemType type, String detail) {
        if (type == ProblemType.UNAUTHORIZED) {
            context.response().putHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        ProblemMappers.end(context, json, type, detail);
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }

    /** The token of an {@code Authorization: Bearer} header; null for none, another scheme or an empty token. */
    static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = header.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
