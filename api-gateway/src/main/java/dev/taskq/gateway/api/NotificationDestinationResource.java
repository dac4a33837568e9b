package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.gateway.api.NotificationViews.CreateDestinationRequest;
import dev.taskq.gateway.api.NotificationViews.DestinationView;
import dev.taskq.gateway.domain.NotificationCommands;
import dev.taskq.gateway.domain.NotificationNotFoundException;
import dev.taskq.store.notification.NotificationDestinationRepository;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Creates, lists, shows, deletes and re-enables notification destinations (an admin action). */
@Path(NotificationDestinationResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Notifications")
@RequiresRole(Role.ADMIN)
public class NotificationDestinationResource {

    static final String PATH = "/api/v1/notification-destinations";

    private final NotificationCommands commands;
    private final NotificationDestinationRepository destinations;

    public NotificationDestinationResource(NotificationCommands commands, NotificationDestinationRepository destinations) {
        this.commands = commands;
        this.destinations = destinations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a destination", description = "Secrets in config are stored and never returned.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DestinationView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid name, type or config; errors names each field; nothing written",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response createDestination(@NotNull(message = "is required: send the destination as a JSON object") CreateDestinationRequest body) {
        DestinationView created = DestinationView.of(commands.createDestination(body.name(), body.type(), body.config()));
        return Response.created(UriBuilder.fromPath(PATH).path(created.id().toString()).build()).entity(created).build();
    }

    @GET
    @Transactional
    @Operation(summary = "List destinations", description = "By name.")
    @APIResponse(responseCode = "200", description = "Every destination",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DestinationView.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public List<DestinationView> listDestinations() {
        return destinations.listByName().stream().map(DestinationView::of).toList();
    }

    @GET
    @Path("{id}")
    @Transactional
    @Operation(summary = "Show a destination")
    @APIResponse(responseCode = "200", description = "The destination",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DestinationView.class)))
    @APIResponse(responseCode = "404", description = "No such destination",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public DestinationView getDestination(@PathParam("id") String id) {
        UUID destinationId = NotificationParams.id("id", id);
        return destinations.findByIdOptional(destinationId).map(DestinationView::of)
                .orElseThrow(() -> new NotificationNotFoundException("notification destination", destinationId));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a destination", description = "Its subscriptions go with it; its pending deliveries fail.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such destination",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response deleteDestination(@PathParam("id") String id) {
        commands.deleteDestination(NotificationParams.id("id", id));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/enable")
    @Operation(summary = "Enable a destination", description = "After the notifier disabled it (e.g. a deleted Discord webhook was re-created).")
    @APIResponse(responseCode = "200", description = "The destination, enabled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DestinationView.class)))
    @APIResponse(responseCode = "404", description = "No such destination",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public DestinationView enableDestination(@PathParam("id") String id) {
        return DestinationView.of(commands.enableDestination(NotificationParams.id("id", id)));
    }
}
