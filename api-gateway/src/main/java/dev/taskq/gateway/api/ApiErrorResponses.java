package dev.taskq.gateway.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Documents the answers every API operation can give whatever it does: 401 without a valid API key
 * ({@link AuthenticationFilter}), 403 when the key's role may not ({@link RoleFilter}), 429 with Retry-After past the
 * key's rate limit, and 503 with Retry-After while the database is unreachable ({@link ProblemMappers}).
 * One filter instead of the same annotations on every resource class.
 */
@OpenApiFilter
public class ApiErrorResponses implements OASFilter {

    private static final String API_PATHS = "/api/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith(API_PATHS)) {
                item.getOperations().values().forEach(ApiErrorResponses::addCommonResponses);
            }
        });
    }

    private static void addCommonResponses(Operation operation) {
        operation.getResponses()
                .addAPIResponse("401", OASFactory.createAPIResponse()
                        .description("No valid API key (missing, unknown, expired or revoked); WWW-Authenticate: Bearer")
                        .content(problem()))
                .addAPIResponse("403", OASFactory.createAPIResponse()
                        .description("The key's role, pools or ownership do not allow this request")
                        .content(problem()))
                .addAPIResponse("429", OASFactory.createAPIResponse()
                        .description("The key's rate limit or quota is used up; retry after the seconds Retry-After names")
                        .addHeader(HttpHeaders.RETRY_AFTER, retryAfter())
                        .content(problem()))
                .addAPIResponse("503", OASFactory.createAPIResponse()
                        .description(ProblemMappers.DATABASE_UNAVAILABLE_DESCRIPTION)
                        .addHeader(HttpHeaders.RETRY_AFTER, retryAfter())
                        .content(problem()));
    }

    private static Header retryAfter() {
        return OASFactory.createHeader()
                .description("Seconds to wait before trying again")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
    }

    private static Content problem() {
        return OASFactory.createContent().addMediaType(ProblemMappers.PROBLEM_JSON, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("Problem")));
    }
}
