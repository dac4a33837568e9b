package dev.taskq.gateway.api;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.gateway.domain.AgentRoleCommands;
import dev.taskq.gateway.domain.AgentRoleNotFoundException;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.store.persistence.AgentRoleRepository;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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

/** Lists, shows, writes and deletes agent roles; the writes are for admins. */
@Path(AgentRoleResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Agent roles")
public class AgentRoleResource {

    static final String PATH = "/api/v1/agent-roles";
    private static final String NAME = "The role's name: 1 to 64 of a-z 0-9 . _ -, starting with a letter";

    private final AgentRoleRepository roles;
    private final AgentRoleCommands commands;

    public AgentRoleResource(AgentRoleRepository roles, AgentRoleCommands commands) {
        this.roles = roles;
        this.commands = commands;
    }

    @GET
    @Operation(summary = "List agent roles", description = "Every role a claude task can name as agent, by name.")
    @APIResponse(responseCode = "200", description = "The roles",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
                    implementation = AgentRoleView.class)))
    public List<AgentRoleView> list() {
        return roles.allByName().stream().map(AgentRoleView::of).toList();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show an agent role")
    @APIResponse(responseCode = "200", description = "The role",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentRoleView.class)))
    @APIResponse(responseCode = "404", description = "No such role",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public AgentRoleView get(@PathParam("name") @Parameter(description = NAME) String name) {
        return roles.findByIdOptional(name).map(AgentRoleView::of).orElseThrow(() -> new AgentRoleNotFoundException(name));
    }

    @PUT
    @Path("{name}")
    @RequiresRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace an agent role (admins)", description = """
            Writes every setting of the role (an absent one is unset). Tasks already released keep the settings they were \
            dispatched with; tasks still waiting take the new ones when they are released.""")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentRoleView.class)))
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentRoleView.class)))
    @APIResponse(responseCode = "400", description = "An invalid name or field; errors names each",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The caller is not an admin",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response put(@PathParam("name") @Parameter(description = NAME) String name,
                        @NotNull(message = "is required: send the role as a JSON object") @Valid AgentRoleRequest body) {
        AgentRoleCommands.Saved saved = commands.put(body.toRole(checkedName(name)));
        AgentRoleView view = AgentRoleView.of(saved.role());
        return saved.created()
                ? Response.created(UriBuilder.fromPath(PATH).path(name).build()).entity(view).build()
                : Response.ok(view).build();
    }

    @DELETE
    @Path("{name}")
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "Delete an agent role (admins)", description = "Refused while unfinished tasks name the role.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "The caller is not an admin",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such role",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Unfinished tasks name the role; detail says how many",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("name") @Parameter(description = NAME) String name) {
        commands.delete(name);
        return Response.noContent().build();
    }

    private static String checkedName(String name) {
        if (!name.matches(AgentRole.NAME_PATTERN)) {
            throw new InvalidRequestException("name", "must be 1 to 64 of a-z 0-9 . _ -, starting with a letter, got '"
                    + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'");
        }
        return name;
    }
}
