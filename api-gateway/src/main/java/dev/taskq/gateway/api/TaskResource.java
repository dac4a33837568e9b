package dev.taskq.gateway.api;

import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.gateway.domain.NotificationCommands;
import dev.taskq.gateway.domain.SubmissionRules;
import dev.taskq.gateway.domain.TaskCommands;
import dev.taskq.gateway.persistence.TaskListPage;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import dev.taskq.store.notification.TaskNotificationEntity;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Submits, shows, lists and cancels tasks. */
@Path(TaskResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Tasks")
@APIResponse(responseCode = "401", description = "No valid bearer token",
        content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class TaskResource {

    static final String PATH = "/api/v1/tasks";
    private static final String CANCEL_REASON = "cancelled through the API";

    private final SubmissionRules rules;
    private final TaskCommands commands;
    private final TaskQueries queries;
    private final NotificationCommands notifications;

    public TaskResource(SubmissionRules rules, TaskCommands commands, TaskQueries queries, NotificationCommands notifications) {
        this.rules = rules;
        this.commands = commands;
        this.queries = queries;
        this.notifications = notifications;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a task",
            description = "Queues the task, or lets it wait for its dependencies. Nothing is written when the request is rejected.")
    @APIResponse(responseCode = "201", description = "Created; Location names the task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "Invalid field or malformed JSON; errors names each field",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A dependency does not exist, or a notify entry is invalid (errors names notify[i].<field>)",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response submit(@NotNull(message = "is required: send the task as a JSON object") @Valid SubmitTaskRequest body) {
        NewTask newTask = rules.resolve(body.toDraft());
        List<TaskNotificationEntity> notify = notifications.resolveNotify(body.notifyEntries());
        TaskView created = TaskView.of(commands.submit(newTask, notify));
        return Response.created(UriBuilder.fromPath(created.links().self()).build()).entity(created).build();
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
    @Operation(summary = "List tasks", description = "Newest first, a page at a time; filter by status (repeatable) and pool.")
    @APIResponse(responseCode = "200", description = "A page of tasks",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, bad limit or cursor",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TaskPage list(
            @QueryParam("status") @Parameter(description = "Only tasks in these statuses, e.g. status=RUNNING&status=QUEUED")
            List<String> status,
            @QueryParam("pool") @Parameter(description = "Only tasks of this worker pool") String pool,
            @QueryParam("limit") @Parameter(description = "Page size, 1 to 200 (default 50)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "50"))
            String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        TaskListPage page = queries.list(RequestParams.statuses(status), pool == null || pool.isBlank() ? null : pool,
                RequestParams.listCursor(cursor), RequestParams.limit(limit, 50, 200));
        return new TaskPage(page.tasks().stream().map(TaskSummary::of).toList(),
                page.next() == null ? null : page.next().encode());
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a task",
            description = "Ends a task that has not finished; a worker running it is told to kill the session. Tasks depending on it end UPSTREAM_FAILED.")
    @APIResponse(responseCode = "200", description = "The task, now CANCELLED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The task already finished; detail names its status",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TaskView cancel(@PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                           String id) {
        UUID taskId = RequestParams.taskId(id);
        return TaskView.of(commands.cancel(taskId, CANCEL_REASON));
    }
}
