package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.InvalidScheduleException;
import dev.taskq.gateway.domain.ScheduleCommands;
import dev.taskq.gateway.domain.ScheduleNotFoundException;
import dev.taskq.gateway.persistence.ScheduleQueries;
import dev.taskq.store.schedule.ScheduleEntity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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

/** Creates and shows pipelines: chains of one-time schedules whose tasks depend on the previous step's task. */
@Path(PipelineResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Schedules")
public class PipelineResource {

    static final String PATH = "/api/v1/pipelines";

    private final ScheduleCommands commands;
    private final ScheduleQueries queries;
    private final Validator validator;

    public PipelineResource(ScheduleCommands commands, ScheduleQueries queries, Validator validator) {
        this.commands = commands;
        this.queries = queries;
        this.validator = validator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a pipeline", description = """
            One one-time schedule per step; step i fires delaySeconds after step i−1 and its task depends on step i−1's \
            task. Pause, resume or cancel steps through /api/v1/schedules. Nothing is written when the request is rejected.""")
    @APIResponse(responseCode = "201", description = "Created; Location names the pipeline",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid pipeline; errors names each field (steps[0].task.prompt, …)",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response create(CreatePipelineRequest body) {
        if (body == null) {
            throw new InvalidScheduleException(List.of(new FieldError("", "is required: send the pipeline as a JSON object")));
        }
        List<FieldError> templateErrors = new ArrayList<>();
        if (body.steps() != null) {
            for (int i = 0; i < body.steps().size(); i++) {
                CreatePipelineRequest.Step step = body.steps().get(i);
                if (step != null && step.task() != null) {
                    String prefix = "steps[" + i + "].task.";
                    validator.validate(step.task()).forEach(violation -> templateErrors.add(
                            new FieldError(prefix + ProblemMappers.fieldOf(violation.getPropertyPath()), violation.getMessage())));
                }
            }
        }
        templateErrors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        List<ScheduleEntity> steps = commands.createPipeline(body.name(), body.toDrafts(), templateErrors);
        PipelineView created = new PipelineView(steps.getFirst().pipelineId, steps.stream().map(ScheduleView::of).toList());
        return Response.created(UriBuilder.fromPath(PATH + "/" + created.id()).build()).entity(created).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Show a pipeline", description = "Its steps' schedules in order.")
    @APIResponse(responseCode = "200", description = "The pipeline",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public PipelineView get(@PathParam("id") @Parameter(description = "The pipeline id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                            String id) {
        UUID pipelineId = RequestParams.scheduleId(id);
        List<ScheduleEntity> steps = queries.pipelineSteps(pipelineId);
        if (steps.isEmpty()) {
            throw new ScheduleNotFoundException(pipelineId);
        }
        return new PipelineView(pipelineId, steps.stream().map(ScheduleView::of).toList());
    }
}
