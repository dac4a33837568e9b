package dev.taskq.gateway.api;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.schedule.RunOutcome;
import dev.taskq.gateway.persistence.ScheduleQueries;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One fire time of a schedule: what came of it and, when it created a task or workflow, how that stands. */
@Schema(name = "ScheduleRun")
public record ScheduleRunView(
        @Schema(description = "The instant the schedule was due.") Instant fireTime,
        @Schema(description = "When the scheduler handled it; firedAt − fireTime is the lateness.") Instant firedAt,
        RunOutcome outcome,
        @Schema(description = "The task this run created (task schedules); null when it created none.") UUID taskId,
        @Schema(description = "That task's status now: its outcome once it finished.") TaskStatus taskStatus,
        @Schema(description = "The task's URL, when there is one.") String task,
        @Schema(description = "The workflow this run created (workflow schedules); null when it created none.") UUID workflowId,
        @Schema(description = "That workflow's status now: its outcome once every task ended.") WorkflowStatus workflowStatus,
        @Schema(description = "The workflow's URL, when there is one.") String workflow,
        @Schema(description = "Why a FIRE_FAILED run created nothing.") String reason) {

    static ScheduleRunView of(ScheduleQueries.RunRow row) {
        return new ScheduleRunView(row.fireTime(), row.firedAt(), row.outcome(), row.taskId(), row.taskStatus(),
                row.taskId() == null ? null : TaskResource.PATH + "/" + row.taskId(),
                row.workflowId(), row.workflowStatus(),
                row.workflowId() == null ? null : WorkflowResource.PATH + "/" + row.workflowId(), row.reason());
    }
}
