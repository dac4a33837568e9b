package dev.taskq.gateway.api;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.schedule.ScheduleStatus;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.schedule.ScheduleEntity;
import java.math.BigDecimal;
import java.time.Instant;
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
        @Schema(description = "The pipeline this schedule is a step of, if any.") UUID pipelineId,
        Integer pipelineStep,
        TaskTemplateView task,
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

    /** Where to find the schedule and its runs. */
    @Schema(name = "ScheduleLinks")
    public record Links(String self, String runs) {}

    static ScheduleView of(ScheduleEntity schedule) {
        List<Instant> next = schedule.status == ScheduleStatus.ACTIVE && schedule.nextFireAt != null
                ? concat(schedule.nextFireAt, schedule.times().next(NEXT_FIRE_TIMES - 1, schedule.nextFireAt))
                : List.of();
        NewTask task = schedule.taskTemplate.task();
        int notifyEntries = schedule.taskTemplate.notifyTargets() == null ? 0 : schedule.taskTemplate.notifyTargets().size();
        String self = ScheduleResource.PATH + "/" + schedule.id;
        return new ScheduleView(schedule.id, schedule.name, schedule.status, schedule.cron, schedule.timezone, schedule.runAt,
                schedule.missedRunPolicy.wire(), schedule.maxCatchup, schedule.overlapPolicy.wire(), schedule.startAt,
                schedule.endAt, schedule.maxRuns, schedule.runsFired, schedule.nextFireAt, next, schedule.lastTaskId,
                schedule.pipelineId, schedule.pipelineStep,
                new TaskTemplateView(task.prompt(), task.priority(), PriorityClass.of(task.priority()), task.dependsOn(),
                        task.workingDir(), task.timeoutSeconds(), task.maxTurns(), task.model(), task.pool(), task.metadata(),
                        task.maxAttempts(), notifyEntries, task.maxBudgetUsd(), orEmpty(task.allowedTools()),
                        orEmpty(task.disallowedTools()), task.appendSystemPrompt(), task.permissionMode(),
                        task.repo() == null ? null : new RepoView(task.repo().url(), task.repo().ref())),
                schedule.createdAt, schedule.updatedAt, new Links(self, self + "/runs"));
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static List<Instant> concat(Instant first, List<Instant> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }
}
