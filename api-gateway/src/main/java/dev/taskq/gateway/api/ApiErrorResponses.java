package dev.taskq.gateway.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Documents the two answers every API operation can give whatever it does: 401 without a valid bearer token
 * ({@link BearerAuthFilter}) and 503 with Retry-After while the database is unreachable ({@link ProblemMappers}).
 * One filter instead of the same two annotations on every resource class.
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
                        .description("No valid bearer token")
                        .content(problem()))
                .addAPIResponse("503", OASFactory.createAPIResponse()
                        .description(ProblemMappers.DATABASE_UNAVAILABLE_DESCRIPTION)
                        .addHeader(HttpHeaders.RETRY_AFTER, OASFactory.createHeader()
                                .description("Seconds to wait before trying again")
                                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)))
                        .content(problem()));
    }

    private static Content problem() {
        return OASFactory.createContent().addMediaType(ProblemMappers.PROBLEM_JSON, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("Problem")));
    }
}
