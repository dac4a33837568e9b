package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.ApiKeys;
import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.gateway.persistence.ApiKeyStore.StoredKey;
import dev.taskq.gateway.persistence.ListCursor;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Creates, lists, shows and revokes API keys: admins only. */
@Path(ApiKeyResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@RequiresRole(Role.ADMIN)
@Tag(name = "API keys")
public class ApiKeyResource {

    static final String PATH = "/api/v1/api-keys";

    private final ApiKeys keys;

    public ApiKeyResource(ApiKeys keys) {
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = """
            Creates a key with a role (admin, submitter, viewer or worker), optionally limited to pools, expiring, and with \
            its own rate limit and quotas. The answer carries the secret (tq_ and 40 base62 characters) this one time; \
            taskq keeps only its HMAC-SHA256.""")
    @APIResponse(responseCode = "201", description = "Created; Location names the key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedApiKeyView.class)))
    @APIResponse(responseCode = "400", description = "A field is missing or invalid; errors names each",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response create(@NotNull(message = "is required: send {\"name\": \"...\", \"role\": \"submitter\"}") CreateApiKeyRequest body) {
        ApiKeys.Created created = keys.create(body.toDraft());
        return Response.created(UriBuilder.fromPath(PATH).path(created.key().id().toString()).build())
                .entity(new CreatedApiKeyView(ApiKeyView.of(created.key()), created.secret()))
                .build();
    }

    @GET
    @Operation(summary = "List API keys", description = "Newest first, a page at a time, revoked and expired ones included.")
    @APIResponse(responseCode = "200", description = "A page of keys",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiKeyPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ApiKeyPage list(
            @QueryParam("limit") @Parameter(description = "Page size, 1 to 200 (default 50)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "50"))
            String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        int size = RequestParams.limit(limit, 50, 200);
        List<StoredKey> page = keys.list(RequestParams.listCursor(cursor), size);
        StoredKey last = page.size() == size ? page.getLast() : null;
        return new ApiKeyPage(page.stream().map(ApiKeyView::of).toList(),
                last == null ? null : new ListCursor(last.createdAt(), last.id()).encode());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Show an API key")
    @APIResponse(responseCode = "200", description = "The key, without its secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such key",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ApiKeyView get(@PathParam("id") @Parameter(description = "The key id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                          String id) {
        return ApiKeyView.of(keys.get(RequestParams.apiKeyId(id)));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API key", description = """
            The key stops authenticating at once on this gateway replica, and within taskq.api.keys.cache-ttl (10 s) on \
            the others. The row stays, revoked, for the audit log and task history. Revoking a revoked key changes nothing.""")
    @APIResponse(responseCode = "200", description = "The key, revoked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such key",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ApiKeyView revoke(@PathParam("id") @Parameter(description = "The key id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                             String id) {
        return ApiKeyView.of(keys.revoke(RequestParams.apiKeyId(id)));
    }

    @POST
    @Path("{id}/revoke")
    @Operation(summary = "Revoke an API key (POST form)", description = "The same as DELETE, for clients that cannot send DELETE.")
    @APIResponse(responseCode = "200", description = "The key, revoked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such key",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ApiKeyView revokeByPost(@PathParam("id") @Parameter(description = "The key id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                                   String id) {
        return revoke(id);
    }
}
