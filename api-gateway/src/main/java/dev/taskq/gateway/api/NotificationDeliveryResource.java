package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.gateway.api.NotificationViews.DeliveryView;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.NotificationCommands;
import dev.taskq.store.notification.DeliveryStatus;
import dev.taskq.store.notification.NotificationDeliveryRepository;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Shows notification deliveries and sends a failed one again. */
@Path(NotificationDeliveryResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Notifications")
public class NotificationDeliveryResource {

    static final String PATH = "/api/v1/notification-deliveries";

    private final NotificationCommands commands;
    private final NotificationDeliveryRepository deliveries;

    public NotificationDeliveryResource(NotificationCommands commands, NotificationDeliveryRepository deliveries) {
        this.commands = commands;
        this.deliveries = deliveries;
    }

    @GET
    @Transactional
    @Operation(summary = "List deliveries", description = "Newest first, filtered by task, workflow, schedule and status.")
    @APIResponse(responseCode = "200", description = "Deliveries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "Bad taskId, workflowId, scheduleId, status or limit",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public List<DeliveryView> listDeliveries(
            @QueryParam("taskId") @Parameter(description = "Only deliveries of this task") String taskId,
            @QueryParam("workflowId") @Parameter(description = "Only deliveries about this workflow (WORKFLOW_FINISHED)") String workflowId,
            @QueryParam("scheduleId") @Parameter(description = "Only deliveries about this schedule (SCHEDULE_RUN_FAILED)") String scheduleId,
            @QueryParam("status") @Parameter(description = "PENDING, DELIVERED, FAILED, DEAD or DISABLED") String status,
            @QueryParam("limit") @Parameter(description = "At most this many, 1 to 500 (default 100)") String limit) {
        DeliveryStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = DeliveryStatus.valueOf(status.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("status", "must be one of "
                        + Arrays.stream(DeliveryStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
            }
        }
        return deliveries.search(optionalId("taskId", taskId), optionalId("workflowId", workflowId), optionalId("scheduleId", scheduleId),
                        wanted, RequestParams.limit(limit, 100, 500))
                .stream().map(DeliveryView::of).toList();
    }

    private static UUID optionalId(String field, String value) {
        return value == null || value.isBlank() ? null : NotificationParams.id(field, value);
    }

    @RequiresRole(Role.ADMIN)
    @POST
    @Path("{id}/redeliver")
    @Operation(summary = "Redeliver", description = "Sends a FAILED, DEAD or DISABLED delivery again now, with the same webhook-id and a fresh retry schedule. Enable a disabled destination first.")
    @APIResponse(responseCode = "200", description = "The delivery, PENDING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryView.class)))
    @APIResponse(responseCode = "404", description = "No such delivery",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The delivery is PENDING or DELIVERED",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public DeliveryView redeliver(@PathParam("id") String id) {
        return DeliveryView.of(commands.redeliver(NotificationParams.id("id", id)));
    }
}
