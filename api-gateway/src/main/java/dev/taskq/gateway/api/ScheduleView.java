package dev.taskq.gateway.api;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.schedule.ScheduleStatus;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.schedule.ScheduleEntity;
import dev.taskq.store.schedule.TaskTemplate;
import dev.taskq.store.schedule.WorkflowTemplate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule as the API shows it, with its next fire times. */
@Schema(name = "Schedule")
public record ScheduleView(
        UUID id,
        String name,
        ScheduleStatus status,
        String cron,
        String timezone,
        Instant runAt,
        @Schema(enumeration = {"skip", "catchup", "fail"}) String missedRunPolicy,
        int maxCatchup,
        @Schema(enumeration = {"skip", "allow", "cancel"}) String overlapPolicy,
        Instant startAt,
        Instant endAt,
        Integer maxRuns,
        int runsFired,
        @Schema(description = "The fire time the scheduler waits for; null once the schedule is not ACTIVE.")
        Instant nextFireAt,
        @Schema(description = "The next 5 fire times of an ACTIVE schedule (fewer when it ends sooner; none when it is not ACTIVE).")
        List<Instant> nextFireTimes,
        @Schema(description = "The task of the latest run that created one.")
        UUID lastTaskId,
        @Schema(description = "The workflow of the latest run that created one (workflow schedules).")
        UUID lastWorkflowId,
        @Schema(description = "The pipeline this schedule is a step of, if any.") UUID pipelineId,
        Integer pipelineStep,
        @Schema(description = "The task each run creates; null when each run creates a workflow.")
        TaskTemplateView task,
        @Schema(description = "The workflow each run creates (all its tasks at once); null when each run creates one task.")
        WorkflowTemplateView workflow,
        @Schema(description = "Who created the schedule, its owner: a submitter may pause, resume and cancel only its "
                + "own schedules, and each run's tasks are submitted in this name. Null for a schedule older than V15.")
        SubmitterView createdBy,
        Instant createdAt,
        Instant updatedAt,
        Links links) {

    static final int NEXT_FIRE_TIMES = 5;

    /** The task each run creates, with its defaults filled in (notify configs are write-only, so only counted). */
    @Schema(name = "ScheduleTaskTemplate")
    public record TaskTemplateView(String prompt, int priority, PriorityClass priorityClass, List<UUID> dependsOn,
                                   String workingDir, int timeoutSeconds, Integer maxTurns, String model, String pool,
                                   Map<String, String> metadata, int maxAttempts, int notifyEntries, BigDecimal maxBudgetUsd,
                                   List<String> allowedTools, List<String> disallowedTools, String appendSystemPrompt,
                                   String permissionMode, RepoView repo) {}

    /** The workflow each run creates: its tasks with their refs and dependencies (refs of this workflow, or task ids). */
    @Schema(name = "ScheduleWorkflowTemplate")
    public record WorkflowTemplateView(String name, Map<String, String> metadata, List<WorkflowTemplateTaskView> tasks) {}

    /** One task of a workflow template. */
    @Schema(name = "ScheduleWorkflowTemplateTask")
    public record WorkflowTemplateTaskView(String ref, List<String> dependsOn, String continueFrom, TaskTemplateView task) {}

    /** Where to find the schedule and its runs. */
    @Schema(name = "ScheduleLinks")
    public record Links(String self, String runs) {}

    static ScheduleView of(ScheduleEntity schedule) {
        List<Instant> next = schedule.status == ScheduleStatus.ACTIVE && schedule.nextFireAt != null
                ? concat(schedule.nextFireAt, schedule.times().next(NEXT_FIRE_TIMES - 1, schedule.nextFireAt))
                : List.of();
        String self = ScheduleResource.PATH + "/" + schedule.id;
        return new ScheduleView(schedule.id, schedule.name, schedule.status, schedule.cron, schedule.timezone, schedule.runAt,
                schedule.missedRunPolicy.wire(), schedule.maxCatchup, schedule.overlapPolicy.wire(), schedule.startAt,
                schedule.endAt, schedule.maxRuns, schedule.runsFired, schedule.nextFireAt, next, schedule.lastTaskId,
                schedule.lastWorkflowId, schedule.pipelineId, schedule.pipelineStep,
                schedule.taskTemplate == null ? null : taskView(schedule.taskTemplate),
                schedule.workflowTemplate == null ? null : workflowView(schedule.workflowTemplate),
                SubmitterView.of(schedule), schedule.createdAt, schedule.updatedAt, new Links(self, self + "/runs"));
    }

    private static TaskTemplateView taskView(TaskTemplate template) {
        NewTask task = template.task();
        int notifyEntries = template.notifyTargets() == null ? 0 : template.notifyTargets().size();
        return new TaskTemplateView(task.prompt(), task.priority(), PriorityClass.of(task.priority()), task.dependsOn(),
                task.workingDir(), task.timeoutSeconds(), task.maxTurns(), task.model(), task.pool(), task.metadata(),
                task.maxAttempts(), notifyEntries, task.maxBudgetUsd(), orEmpty(task.allowedTools()),
                orEmpty(task.disallowedTools()), task.appendSystemPrompt(), task.permissionMode(),
                task.repo() == null ? null : new RepoView(task.repo().url(), task.repo().ref()));
    }

    /** Dependencies inside the template are shown by ref (template ids mean nothing to a client), others by task id. */
    private static WorkflowTemplateView workflowView(WorkflowTemplate template) {
        Map<UUID, String> refs = new HashMap<>();
        template.tasks().forEach(node -> refs.put(node.templateId(), node.ref()));
        List<WorkflowTemplateTaskView> tasks = template.tasks().stream().map(node -> {
            NewTask task = node.task().task();
            return new WorkflowTemplateTaskView(node.ref(),
                    task.dependsOn().stream().map(id -> refs.getOrDefault(id, id.toString())).toList(),
                    task.continueFrom() == null ? null : refs.getOrDefault(task.continueFrom(), task.continueFrom().toString()),
                    // The node's own dependsOn says it; the template ids inside the task would mean nothing to a client.
                    taskView(new TaskTemplate(task.withDependsOn(List.of()).withContinueFrom(null), node.task().notifyTargets())));
        }).toList();
        return new WorkflowTemplateView(template.name(), template.metadata(), tasks);
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static List<Instant> concat(Instant first, List<Instant> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }
}
