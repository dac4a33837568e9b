package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.gateway.api.NotificationViews.CreateSubscriptionRequest;
import dev.taskq.gateway.api.NotificationViews.SubscriptionView;
import dev.taskq.gateway.domain.NotificationCommands;
import dev.taskq.store.notification.NotificationSubscriptionRepository;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Global subscriptions: which destinations hear which tasks' events (an admin action). */
@Path(SubscriptionResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Notifications")
@RequiresRole(Role.ADMIN)
public class SubscriptionResource {

    static final String PATH = "/api/v1/subscriptions";

    private final NotificationCommands commands;
    private final NotificationSubscriptionRepository subscriptions;

    public SubscriptionResource(NotificationCommands commands, NotificationSubscriptionRepository subscriptions) {
        this.commands = commands;
        this.subscriptions = subscriptions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a subscription", description = "Filters (event types, pool, label, minimum priority) must all match.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "422", description = "Unknown destination or event type, bad filter; nothing written",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response createSubscription(@NotNull(message = "is required: send the subscription as a JSON object") CreateSubscriptionRequest body) {
        SubscriptionView created = SubscriptionView.of(commands.createSubscription(new NotificationCommands.SubscriptionDraft(
                body.destination(), body.eventTypes(), body.pool(), body.label(), body.minPriority())));
        return Response.created(UriBuilder.fromPath(PATH).path(created.id().toString()).build()).entity(created).build();
    }

    @GET
    @Transactional
    @Operation(summary = "List subscriptions", description = "Oldest first.")
    @APIResponse(responseCode = "200", description = "Every subscription",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionView.class, type = SchemaType.ARRAY)))
    public List<SubscriptionView> listSubscriptions() {
        return subscriptions.listAllOrdered().stream().map(SubscriptionView::of).toList();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a subscription")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such subscription",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response deleteSubscription(@PathParam("id") String id) {
        commands.deleteSubscription(NotificationParams.id("id", id));
        return Response.noContent().build();
    }
}
