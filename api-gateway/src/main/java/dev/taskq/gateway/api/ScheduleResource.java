package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.InvalidScheduleException;
import dev.taskq.gateway.domain.ScheduleCommands;
import dev.taskq.gateway.domain.ScheduleNotFoundException;
import dev.taskq.gateway.persistence.ScheduleQueries;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Creates, shows, pauses, resumes and cancels schedules, and lists their runs; scheduler-service fires them. */
@Path(ScheduleResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Schedules")
public class ScheduleResource {

    static final String PATH = "/api/v1/schedules";

    private final ScheduleCommands commands;
    private final ScheduleQueries queries;
    private final Validator validator;

    public ScheduleResource(ScheduleCommands commands, ScheduleQueries queries, Validator validator) {
        this.commands = commands;
        this.queries = queries;
        this.validator = validator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a schedule", description = """
            A task, or a whole workflow (all its tasks at once), created on a cron schedule in a time zone, or once at \
            runAt. The template is checked exactly as POST /api/v1/tasks or POST /api/v1/workflows checks it. DST rule: a wall time that does not exist \
            (spring forward) fires once at the shifted instant, 02:30 → 03:30 local; a wall time that occurs twice \
            (fall back) fires once, at its first occurrence. Nothing is written when the request is rejected.""")
    @APIResponse(responseCode = "201", description = "Created; Location names the schedule",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid schedule, task or workflow template; errors names each field (cron, timezone, runAt, task.prompt, workflow.tasks[1].dependsOn[0], workflow.tasks for a cycle, …)",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response create(CreateScheduleRequest body) {
        if (body == null) {
            throw new InvalidScheduleException(List.of(new FieldError("", "is required: send the schedule as a JSON object")));
        }
        // The template's annotations are checked here rather than by @Valid so that they are 422s named task.<field>,
        // reported together with the schedule's own problems.
        List<FieldError> templateErrors = new ArrayList<>(body.task() == null ? List.of() : validator.validate(body.task()).stream()
                .map(violation -> new FieldError("task." + ProblemMappers.fieldOf(violation.getPropertyPath()), violation.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList());
        if (body.workflow() != null) {
            templateErrors.addAll(WorkflowResource.annotationErrors(validator, body.workflow(), "workflow."));
        }
        ScheduleView created = ScheduleView.of(commands.create(body.toDraft(), templateErrors));
        return Response.created(UriBuilder.fromPath(created.links().self()).build()).entity(created).build();
    }

    @GET
    @Operation(summary = "List schedules", description = "Newest first.")
    @APIResponse(responseCode = "200", description = "Schedules",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleList.class)))
    public ScheduleList list(@QueryParam("limit") @Parameter(description = "At most this many, 1 to 200 (default 50)",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "50")) String limit) {
        return new ScheduleList(queries.list(RequestParams.limit(limit, 50, 200)).stream().map(ScheduleView::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Show a schedule", description = "With its next 5 fire times.")
    @APIResponse(responseCode = "200", description = "The schedule",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ScheduleView get(@PathParam("id") @Parameter(description = "The schedule id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                            String id) {
        UUID scheduleId = RequestParams.scheduleId(id);
        return queries.find(scheduleId).map(ScheduleView::of).orElseThrow(() -> new ScheduleNotFoundException(scheduleId));
    }

    @POST
    @Path("{id}/pause")
    @Operation(summary = "Pause a schedule", description = "An ACTIVE schedule stops firing until resumed.")
    @APIResponse(responseCode = "200", description = "The schedule, now PAUSED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The schedule is not ACTIVE",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ScheduleView pause(@PathParam("id") @Parameter(description = "The schedule id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                              String id) {
        return ScheduleView.of(commands.pause(RequestParams.scheduleId(id)));
    }

    @POST
    @Path("{id}/resume")
    @Operation(summary = "Resume a schedule",
            description = "A PAUSED schedule fires again from its first fire time after now; fire times that passed while it was paused are skipped.")
    @APIResponse(responseCode = "200", description = "The schedule, ACTIVE again (COMPLETED if it has no fire time left)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The schedule is not PAUSED",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ScheduleView resume(@PathParam("id") @Parameter(description = "The schedule id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                               String id) {
        return ScheduleView.of(commands.resume(RequestParams.scheduleId(id)));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a schedule", description = "It never fires again; tasks it created are left alone.")
    @APIResponse(responseCode = "200", description = "The schedule, now CANCELLED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The schedule is COMPLETED or CANCELLED already",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ScheduleView cancel(@PathParam("id") @Parameter(description = "The schedule id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                               String id) {
        return ScheduleView.of(commands.cancel(RequestParams.scheduleId(id)));
    }

    @GET
    @Path("{id}/runs")
    @Operation(summary = "List a schedule's runs", description = "Latest fire time first; each links to the task or workflow it created and shows its status, or says why it created none.")
    @APIResponse(responseCode = "200", description = "The runs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleRunList.class)))
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public ScheduleRunList runs(@PathParam("id") @Parameter(description = "The schedule id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                                String id,
                                @QueryParam("limit") @Parameter(description = "At most this many, 1 to 500 (default 100)",
                                        schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100"))
                                String limit) {
        UUID scheduleId = RequestParams.scheduleId(id);
        if (queries.find(scheduleId).isEmpty()) {
            throw new ScheduleNotFoundException(scheduleId);
        }
        return new ScheduleRunList(queries.runs(scheduleId, RequestParams.limit(limit, 100, 500)).stream()
                .map(ScheduleRunView::of).toList());
    }
}
