package dev.taskq.gateway.api;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Requires {@code Authorization: Bearer <token>} on every REST call: the one place to grow into API keys and roles. */
// Pre-matching, so unknown paths are not revealed to anonymous callers. The /q endpoints (health, metrics,
// OpenAPI, Swagger UI) are Vert.x routes outside REST, so they never reach this filter and stay open.
public class BearerAuthFilter {

    /** The WWW-Authenticate challenge of a 401. */
    public static final String CHALLENGE = "Bearer realm=\"taskq\"";

    private static final String SCHEME = "Bearer ";

    private final BearerTokens tokens;

    public BearerAuthFilter(BearerTokens tokens) {
        this.tokens = tokens;
    }

    @ServerRequestFilter(preMatching = true)
    public void authenticate(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        // The message never includes the presented token: exceptions may be logged.
        if (!bearer || !tokens.accepts(header.substring(SCHEME.length()).trim())) {
            throw new NotAuthorizedException(CHALLENGE);
        }
    }

    /** The caller of a request this filter let through, as {@link BearerTokens#principalOf} names it. */
    static String principal(HttpHeaders headers) {
        String header = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        return BearerTokens.principalOf(header.substring(SCHEME.length()).trim());
    }
}
