package dev.taskq.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.gateway.domain.CurrentCaller;
import dev.taskq.gateway.domain.IdempotencyKey;
import dev.taskq.gateway.domain.RetryCommands;
import dev.taskq.gateway.domain.Submitted;
import dev.taskq.gateway.domain.SubmittingSession;
import dev.taskq.gateway.domain.TaskCommands;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.gateway.persistence.TaskListPage;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Submits, shows, lists, cancels, retries and resumes tasks, and answers their questions. */
@Path(TaskResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Tasks")
public class TaskResource {

    static final String PATH = "/api/v1/tasks";
    private static final String CANCEL_REASON = "cancelled through the API";

    private final TaskCommands commands;
    private final RetryCommands retries;
    private final TaskQueries queries;
    private final ObjectMapper json;
    private final CurrentCaller caller;

    public TaskResource(TaskCommands commands, RetryCommands retries, TaskQueries queries, ObjectMapper json,
                        CurrentCaller caller) {
        this.commands = commands;
        this.retries = retries;
        this.queries = queries;
        this.json = json;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a task",
            description = "Queues the task, or lets it wait for its dependencies. Nothing is written when the request is rejected.")
    @APIResponse(responseCode = "201", description = "Created; Location names the task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "200", description = "A repeat of an earlier request with the same Idempotency-Key: the task it created, as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "Invalid field, Idempotency-Key or malformed JSON; errors names each field",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used with another request",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A dependency does not exist, or a notify entry is invalid (errors names notify[i].<field>)",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @Parameter(name = Idempotency.HEADER, in = ParameterIn.HEADER, description = Idempotency.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255))
    @Parameter(name = SubmittingSession.HEADER, in = ParameterIn.HEADER, description = SubmittingSession.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = SubmittingSession.MAX_LENGTH,
                    pattern = SubmittingSession.PATTERN))
    public Response submit(
            @Context HttpHeaders headers,
            @NotNull(message = "is required: send the task as a JSON object") @Valid SubmitTaskRequest body) {
        IdempotencyKey key = Idempotency.key(headers, caller.get().principal(), IdempotencyKey.TASKS, body);
        Submitted<TaskDetails> submitted = commands.submit(body.toDraft(), body.notifyEntries(), key,
                RequestParams.submittingSession(headers));
        TaskView view = TaskView.of(submitted.value());
        return Idempotency.submitted(submitted.created(), view, view.links().self());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Show a task", description = "The task with its dependencies, attempts and result.")
    @APIResponse(responseCode = "200", description = "The task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TaskView get(@PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                        String id) {
        UUID taskId = RequestParams.taskId(id);
        return queries.details(taskId).map(TaskView::of).orElseThrow(() -> new TaskNotFoundException(taskId));
    }

    @GET
    @Operation(summary = "List tasks",
            description = "Newest first, a page at a time; filter by status (repeatable), pool and the Claude Code session that submitted them.")
    @APIResponse(responseCode = "200", description = "A page of tasks",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, bad limit or cursor",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TaskPage list(
            @QueryParam("status") @Parameter(description = "Only tasks in these statuses, e.g. status=RUNNING&status=QUEUED")
            List<String> status,
            @QueryParam("pool") @Parameter(description = "Only tasks of this worker pool") String pool,
            @QueryParam("submittedBySession") @Parameter(description = "Only tasks this Claude Code session submitted ("
                    + SubmittingSession.RULE + ")") String submittedBySession,
            @QueryParam("limit") @Parameter(description = "Page size, 1 to 200 (default 50)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "50"))
            String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        TaskListPage page = queries.list(RequestParams.statuses(status), pool == null || pool.isBlank() ? null : pool,
                SubmittingSession.check("submittedBySession", submittedBySession), RequestParams.listCursor(cursor),
                RequestParams.limit(limit, 50, 200));
        return new TaskPage(page.tasks().stream().map(task -> TaskSummary.of(task, page.pendingQuestions().get(task.id))).toList(),
                page.next() == null ? null : page.next().encode());
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a task", description = """
            Ends a task that has not finished; a worker running it is told to kill the session. With cascade=true (the \
            default) every task waiting on it, directly or further down, is cancelled too; with cascade=false each waiting \
            dependent reacts by its onDependencyFailure as to any failure (fail: UPSTREAM_FAILED, skip: SKIPPED, run: it \
            runs once its other dependencies have ended).""")
    @APIResponse(responseCode = "200", description = "The task, now CANCELLED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID, or cascade is not true or false",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The task already finished; detail names its status",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TaskView cancel(@PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                           String id,
                           @QueryParam("cascade") @Parameter(description = "Cancel the tasks waiting on it too (default true)",
                                   schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "true"))
                           String cascade) {
        UUID taskId = RequestParams.taskId(id);
        return TaskView.of(commands.cancel(taskId, CANCEL_REASON, RequestParams.flag("cascade", cascade, true)));
    }

    @POST
    @Path("{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer a task's question", description = """
            Answers the question a WAITING_FOR_INPUT task's session asked a human (the task's question field): the answer \
            is recorded with the question, and the task goes back to QUEUED to resume that same session, on the worker \
            that holds it, told the question and the answer. Only a WAITING_FOR_INPUT task has a question to answer.""")
    @APIResponse(responseCode = "200", description = "The task, QUEUED again; questions lists the answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID, or answer is missing, blank or longer than 32000 characters (errors names it)",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The task is not WAITING_FOR_INPUT (answered already, cancelled, or it never asked); detail names its status",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TaskView answer(@PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                           String id,
                           @NotNull(message = "is required: send {\"answer\": \"...\"}") @Valid AnswerRequest body) {
        UUID taskId = RequestParams.taskId(id);
        return TaskView.of(commands.answer(taskId, body.answer()));
    }

    @POST
    @Path("{id}/retry")
    @Operation(summary = "Retry a task by hand", description = """
            Creates a NEW task that repeats one that ended FAILED, TIMED_OUT or CANCELLED: the same prompt (followed by \
            additionalContext after a blank line, when given), settings, dependencies, notify entries and workflow, with \
            retryOf naming the original. With includeDependents (the default), every task below it that never ran because \
            of it (it ended UPSTREAM_FAILED, SKIPPED or CANCELLED naming it) is re-created too, with retryOf naming the task \
            it replaces and depending on the new tasks; other dependencies stay as they were. All in one transaction.

            Why a new task rather than another attempt of the same one: a task that ended is final. Its lifecycle events \
            and notifications are out and its dependents were decided by that ending, so reopening it would make history \
            lie; a new task carries its lineage (retryOf) instead, and the workflow counts the retry in place of the \
            original. Automatic retries (retry settings) are the ones that are new attempts of the same task: they happen \
            before it ends. A task can be retried by hand once; retry the retry to go again.""")
    @APIResponse(responseCode = "201", description = "Created; Location names the new task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RetryView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID, the body is not valid JSON, or additionalContext makes the prompt too long",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = """
            The task has not ended, SUCCEEDED, never ran because of an upstream task (the detail names the one to retry \
            instead), or was retried already (the detail names the retry)""",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "A body that is not application/json",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @Parameter(name = SubmittingSession.HEADER, in = ParameterIn.HEADER, description = SubmittingSession.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = SubmittingSession.MAX_LENGTH,
                    pattern = SubmittingSession.PATTERN))
    public Response retry(@PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                          String id,
                          @Context HttpHeaders headers,
                          @RequestBody(required = false, description = "Optional; no body means every default.", content = @Content(
                                  mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RetryTaskRequest.class)))
                          String rawBody) {
        UUID taskId = RequestParams.taskId(id);
        RetryTaskRequest body = OptionalJsonBody.read(rawBody, headers.getMediaType(), RetryTaskRequest.class, json);
        boolean includeDependents = body == null || body.includeDependents() == null || body.includeDependents();
        RetryView created = RetryView.of(retries.retry(taskId, body == null ? null : body.additionalContext(), includeDependents,
                RequestParams.submittingSession(headers)));
        return Response.created(UriBuilder.fromPath(created.task().links().self()).build()).entity(created).build();
    }

    @POST
    @Path("{id}/resume")
    @Operation(summary = "Resume a task's session", description = """
            Creates a new task that continues the Claude session of a task that ended (whatever its status) after it had \
            started one: parentTaskId names the task, resumeSessionId the session. Its prompt is additionalContext, or \
            "Continue where you left off." when none is given; working directory, pool, model, maxTurns, timeout, priority, \
            metadata, retry settings and concurrency key are the task's. When it is released it runs `claude --resume` on \
            the worker that ran the session if that worker is alive; otherwise (or when that worker no longer holds the \
            transcript) it runs as a fresh session whose prompt carries the task's result, output tail, errors and git state.""")
    @APIResponse(responseCode = "201", description = "Created; Location names the new task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID, the body is not valid JSON, or additionalContext is too long",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The task has not ended, or never started a session",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "A body that is not application/json",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @Parameter(name = SubmittingSession.HEADER, in = ParameterIn.HEADER, description = SubmittingSession.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = SubmittingSession.MAX_LENGTH,
                    pattern = SubmittingSession.PATTERN))
    public Response resume(@PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                           String id,
                           @Context HttpHeaders headers,
                           @RequestBody(required = false, description = "Optional; no body means every default.", content = @Content(
                                   mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResumeTaskRequest.class)))
                           String rawBody) {
        UUID taskId = RequestParams.taskId(id);
        ResumeTaskRequest body = OptionalJsonBody.read(rawBody, headers.getMediaType(), ResumeTaskRequest.class, json);
        TaskView created = TaskView.of(retries.resume(taskId, body == null ? null : body.additionalContext(),
                RequestParams.submittingSession(headers)));
        return Response.created(UriBuilder.fromPath(created.links().self()).build()).entity(created).build();
    }
}
