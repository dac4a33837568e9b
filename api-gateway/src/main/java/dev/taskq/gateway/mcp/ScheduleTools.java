package dev.taskq.gateway.mcp;

import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.common.schedule.ScheduleStatus;
import dev.taskq.gateway.api.CreateScheduleRequest;
import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.ScheduleCommands;
import dev.taskq.gateway.domain.ScheduleNotFoundException;
import dev.taskq.gateway.persistence.ScheduleQueries;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.schedule.ScheduleEntity;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The MCP tools of schedules: tasks created on a cron schedule or once at a given time, and managing them. */
@Singleton
@ToolErrors
public class ScheduleTools {

    private static final int NEXT_FIRE_TIMES = 5;
    private static final int RECENT_RUNS = 5;
    private static final int MAX_LIST = 200;

    private final ScheduleCommands commands;
    private final ScheduleQueries queries;
    private final RequestBodies bodies;

    public ScheduleTools(ScheduleCommands commands, ScheduleQueries queries, RequestBodies bodies) {
        this.commands = commands;
        this.queries = queries;
        this.bodies = bodies;
    }

    @Tool(name = "ScheduleTask", description = """
            Creates a schedule that creates a task, or a whole workflow, later: repeatedly on a cron expression in a \
            time zone, or once at runAt. Give exactly one of cron and runAt, and exactly one of task (the fields of \
            DelegateTask) and workflow (the arguments of SubmitWorkflow: {name, metadata, tasks}). Answers with the \
            schedule id and its next fire times.""",
            annotations = @Tool.Annotations(title = "Schedule a task", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = true))
    @RunOnVirtualThread
    public String scheduleTask(
            @ToolArg(description = "A name people recognise the schedule by, up to 200 characters.") String name,
            @ToolArg(description = """
                    The task each run creates: {prompt (required), priority, pool, workingDir, model, maxTurns, \
                    timeoutSeconds, dependsOn, continueFrom, onDependencyFailure, concurrencyKey, metadata, notify, \
                    retry {maxAttempts, ...}, maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, \
                    permissionMode, repo {url, ref}}, as DelegateTask takes them. Exactly one of task and workflow.""",
                    required = false)
            Map<String, Object> task,
            @ToolArg(description = """
                    The workflow each run creates, all its tasks at once: {name, metadata, tasks: [{ref, prompt, dependsOn, \
                    continueFrom, ...}]}, as SubmitWorkflow takes them. Exactly one of task and workflow.""", required = false)
            Map<String, Object> workflow,
            @ToolArg(description = "5-field cron (minute hour day-of-month month day-of-week), e.g. '30 2 * * 1-5', or @hourly, "
                    + "@daily, @weekly, @monthly, @yearly.", required = false)
            String cron,
            @ToolArg(description = "IANA time zone the cron is read in, e.g. Europe/Berlin. Default UTC.", required = false)
            String timezone,
            @ToolArg(description = "Fire once at this ISO 8601 date-time with offset, in the future, e.g. 2026-05-01T09:00:00+02:00.",
                    required = false)
            String runAt,
            @ToolArg(description = "Fire times missed while no scheduler ran: skip (default), catchup or fail.", required = false)
            String missedRunPolicy,
            @ToolArg(description = "When due while the previous run's task has not finished: skip (default), allow, or cancel "
                    + "the previous task.", required = false)
            String overlapPolicy,
            @ToolArg(description = "No fire time before this ISO 8601 date-time (cron only).", required = false)
            String startAt,
            @ToolArg(description = "No fire time after this ISO 8601 date-time (cron only).", required = false)
            String endAt,
            @ToolArg(description = "The schedule completes after this many runs that created a task.", required = false)
            Integer maxRuns) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("cron", cron);
        fields.put("timezone", timezone);
        fields.put("runAt", runAt);
        fields.put("missedRunPolicy", missedRunPolicy);
        fields.put("overlapPolicy", overlapPolicy);
        fields.put("startAt", startAt);
        fields.put("endAt", endAt);
        fields.put("maxRuns", maxRuns);
        fields.put("task", task);
        fields.put("workflow", workflow);
        CreateScheduleRequest request = bodies.read(fields, CreateScheduleRequest.class);
        // As POST /api/v1/schedules: the template's annotation problems are reported with the schedule's own, as
        // task.<field> or workflow.<field>.
        List<FieldError> templateErrors = new ArrayList<>(request.task() == null ? List.of() : bodies.violations(request.task(), "task."));
        if (request.workflow() != null) {
            templateErrors.addAll(WorkflowTools.annotationErrors(bodies, request.workflow(), "workflow."));
        }
        ScheduleEntity schedule = commands.create(request.toDraft(), templateErrors);
        return "Schedule " + schedule.id + " created. " + describe(schedule)
                + "\nManage it with PauseSchedule, ResumeSchedule or CancelSchedule.";
    }

    @RequiresRole(Role.VIEWER)
    @Tool(name = "ListSchedules", description = "Lists schedules, newest first: id, name, state, timing and next fire time.",
            annotations = @Tool.Annotations(title = "List schedules", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RunOnVirtualThread
    public String listSchedules(@ToolArg(description = "At most this many, 1 to 200.", defaultValue = "20") int limit) {
        List<ScheduleEntity> schedules = queries.list(Math.clamp(limit, 1, MAX_LIST));
        if (schedules.isEmpty()) {
            return "No schedules.";
        }
        StringBuilder text = new StringBuilder();
        for (ScheduleEntity schedule : schedules) {
            text.append(schedule.id).append("  '").append(schedule.name).append("'  ").append(schedule.status)
                    .append("  ").append(timing(schedule))
                    .append(schedule.nextFireAt == null ? "" : "  next " + schedule.nextFireAt).append('\n');
        }
        return text.toString().stripTrailing();
    }

    @RequiresRole(Role.VIEWER)
    @Tool(name = "GetSchedule", description = "Shows a schedule: timing, state, its next fire times, its task template and its latest runs.",
            annotations = @Tool.Annotations(title = "Show a schedule", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RunOnVirtualThread
    public String getSchedule(@ToolArg(description = "The schedule id.") UUID scheduleId) {
        ScheduleEntity schedule = queries.find(scheduleId).orElseThrow(() -> new ScheduleNotFoundException(scheduleId));
        StringBuilder text = new StringBuilder("Schedule ").append(schedule.id).append(". ").append(describe(schedule));
        if (schedule.taskTemplate != null) {
            NewTask task = schedule.taskTemplate.task();
            text.append("\nTask template: ").append(TaskTexts.priority(task.priority())).append(", pool ").append(task.pool())
                    .append(", prompt: ").append(TaskTexts.abbreviate(task.prompt(), TaskTexts.PROMPT_CHARS));
        } else {
            text.append("\nWorkflow template: ").append(schedule.workflowTemplate.tasks().size()).append(" tasks (")
                    .append(String.join(", ", schedule.workflowTemplate.tasks().stream().map(node -> node.ref()).toList()))
                    .append(")");
        }
        List<ScheduleQueries.RunRow> runs = queries.runs(scheduleId, RECENT_RUNS);
        text.append("\nRuns so far: ").append(schedule.runsFired);
        for (ScheduleQueries.RunRow run : runs) {
            text.append("\n- ").append(run.fireTime()).append(' ').append(run.outcome())
                    .append(run.taskId() == null ? "" : ": task " + run.taskId() + " " + run.taskStatus())
                    .append(run.workflowId() == null ? "" : ": workflow " + run.workflowId() + " " + run.workflowStatus())
                    .append(run.reason() == null ? "" : ": " + run.reason());
        }
        return text.toString();
    }

    @Tool(name = "PauseSchedule", description = "Stops an ACTIVE schedule from firing until ResumeSchedule.",
            annotations = @Tool.Annotations(title = "Pause a schedule", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = false))
    @RunOnVirtualThread
    public String pauseSchedule(@ToolArg(description = "The schedule id.") UUID scheduleId) {
        return "Schedule " + scheduleId + " paused. " + describe(commands.pause(scheduleId));
    }

    @Tool(name = "ResumeSchedule", description = """
            Lets a PAUSED schedule fire again from its next fire time after now; the fire times it missed while paused \
            are skipped.""",
            annotations = @Tool.Annotations(title = "Resume a schedule", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = false))
    @RunOnVirtualThread
    public String resumeSchedule(@ToolArg(description = "The schedule id.") UUID scheduleId) {
        return "Schedule " + scheduleId + " resumed. " + describe(commands.resume(scheduleId));
    }

    @Tool(name = "CancelSchedule", description = "Ends a schedule for good; tasks it already created are left alone.",
            annotations = @Tool.Annotations(title = "Cancel a schedule", readOnlyHint = false, destructiveHint = true,
                    idempotentHint = false, openWorldHint = false))
    @RunOnVirtualThread
    public String cancelSchedule(@ToolArg(description = "The schedule id.") UUID scheduleId) {
        return "Schedule " + scheduleId + " cancelled. " + describe(commands.cancel(scheduleId));
    }

    /** Name, state, timing and the next fire times. */
    private static String describe(ScheduleEntity schedule) {
        StringBuilder text = new StringBuilder("'").append(schedule.name).append("' is ").append(schedule.status)
                .append(": ").append(timing(schedule)).append('.');
        List<Instant> next = nextFireTimes(schedule);
        if (!next.isEmpty()) {
            text.append(" Next fire times: ").append(String.join(", ", next.stream().map(Instant::toString).toList())).append('.');
        }
        return text.toString();
    }

    private static String timing(ScheduleEntity schedule) {
        return schedule.cron != null ? "cron '" + schedule.cron + "' in " + schedule.timezone : "once at " + schedule.runAt;
    }

    /** The fire time the scheduler waits for and the ones after it, as GET /api/v1/schedules/{id} lists them. */
    private static List<Instant> nextFireTimes(ScheduleEntity schedule) {
        if (schedule.status != ScheduleStatus.ACTIVE || schedule.nextFireAt == null) {
            return List.of();
        }
        List<Instant> next = new ArrayList<>(NEXT_FIRE_TIMES);
        next.add(schedule.nextFireAt);
        next.addAll(schedule.times().next(NEXT_FIRE_TIMES - 1, schedule.nextFireAt));
        return next;
    }
}
