package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.CurrentCaller;
import dev.taskq.gateway.domain.IdempotencyKey;
import dev.taskq.gateway.domain.InvalidWorkflowException;
import dev.taskq.gateway.domain.Submitted;
import dev.taskq.gateway.domain.SubmittingSession;
import dev.taskq.gateway.domain.WorkflowCommands;
import dev.taskq.gateway.domain.WorkflowNotFoundException;
import dev.taskq.gateway.persistence.WorkflowDetails;
import dev.taskq.gateway.persistence.WorkflowQueries;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Creates, shows, lists and cancels workflows: DAGs of tasks submitted in one request. */
@Path(WorkflowResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Workflows")
public class WorkflowResource {

    static final String PATH = "/api/v1/workflows";
    private static final String CANCEL_REASON = "workflow cancelled through the API";

    private final WorkflowCommands commands;
    private final WorkflowQueries queries;
    private final Validator validator;
    private final CurrentCaller caller;

    public WorkflowResource(WorkflowCommands commands, WorkflowQueries queries, Validator validator, CurrentCaller caller) {
        this.commands = commands;
        this.queries = queries;
        this.validator = validator;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a workflow", description = """
            Creates the workflow and all its tasks in one transaction, or nothing: a duplicate ref, a dependency that is \
            neither a ref of the workflow nor the id of an existing task, an invalid task field or a cycle (named in order, \
            a → b → c → a) is a 422 listing every problem. Tasks with no unmet dependency are QUEUED at once.""")
    @APIResponse(responseCode = "201", description = "Created; Location names the workflow. Tasks are listed in request order.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "200", description = "A repeat of an earlier request with the same Idempotency-Key: the workflow it created, as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, a field of the wrong JSON type, or an invalid Idempotency-Key",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used with another request",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid workflow; errors names each field (tasks[2].dependsOn[0], tasks for a cycle, …)",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @Parameter(name = Idempotency.HEADER, in = ParameterIn.HEADER, description = Idempotency.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255))
    @Parameter(name = SubmittingSession.HEADER, in = ParameterIn.HEADER, description = SubmittingSession.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = SubmittingSession.MAX_LENGTH,
                    pattern = SubmittingSession.PATTERN))
    public Response create(
            @Context HttpHeaders headers,
            CreateWorkflowRequest body) {
        if (body == null) {
            throw new InvalidWorkflowException(List.of(new FieldError("", "is required: send the workflow as a JSON object")));
        }
        IdempotencyKey key = Idempotency.key(headers, caller.get().principal(), IdempotencyKey.WORKFLOWS, body);
        Submitted<WorkflowDetails> submitted = commands.create(body.toDraft(), annotationErrors(validator, body, ""), key,
                RequestParams.submittingSession(headers));
        WorkflowView view = WorkflowView.of(submitted.value());
        return Idempotency.submitted(submitted.created(), view, view.links().self());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Show a workflow", description = "Its tasks with their current states, dependencies first, and its edges.")
    @APIResponse(responseCode = "200", description = "The workflow",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such workflow",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public WorkflowView get(@PathParam("id") @Parameter(description = "The workflow id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                            String id) {
        UUID workflowId = RequestParams.workflowId(id);
        return queries.details(workflowId).map(WorkflowView::of).orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    @GET
    @Operation(summary = "List workflows", description = "Newest first, a page at a time; filter by status (repeatable).")
    @APIResponse(responseCode = "200", description = "A page of workflows",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, bad limit or cursor",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public WorkflowPage list(
            @QueryParam("status") @Parameter(description = "Only workflows in these statuses, e.g. status=RUNNING")
            List<String> status,
            @QueryParam("limit") @Parameter(description = "Page size, 1 to 200 (default 50)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "50"))
            String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        WorkflowQueries.Page page = queries.list(RequestParams.workflowStatuses(status), RequestParams.listCursor(cursor),
                RequestParams.limit(limit, 50, 200));
        return new WorkflowPage(page.workflows().stream().map(WorkflowSummary::of).toList(),
                page.next() == null ? null : page.next().encode());
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a workflow", description = """
            Cancels every task of the workflow that has not ended, in one transaction; workers running one are told to \
            kill its session. Tasks that ended keep their state.""")
    @APIResponse(responseCode = "200", description = "The workflow, its tasks cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such workflow",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Every task of the workflow has ended already; detail names its status",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public WorkflowView cancel(@PathParam("id") @Parameter(description = "The workflow id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                               String id) {
        return WorkflowView.of(commands.cancel(RequestParams.workflowId(id), CANCEL_REASON));
    }

    /**
     * The request's annotation violations, named as the client wrote them ({@code tasks[3].prompt}) after
     * {@code prefix} (a schedule's workflow template is checked with {@code workflow.}).
     */
    static List<FieldError> annotationErrors(Validator validator, CreateWorkflowRequest body, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        validator.validate(body).forEach(violation ->
                errors.add(new FieldError(prefix + ProblemMappers.fieldOf(violation.getPropertyPath()), violation.getMessage())));
        if (body.tasks() != null) {
            for (int i = 0; i < body.tasks().size(); i++) {
                if (body.tasks().get(i) != null) {
                    String taskPrefix = prefix + "tasks[" + i + "].";
                    validator.validate(body.tasks().get(i)).forEach(violation -> errors.add(
                            new FieldError(taskPrefix + ProblemMappers.fieldOf(violation.getPropertyPath()), violation.getMessage())));
                }
            }
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return errors;
    }
}
