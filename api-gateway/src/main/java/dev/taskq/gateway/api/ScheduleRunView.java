package dev.taskq.gateway.api;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.schedule.RunOutcome;
import dev.taskq.gateway.persistence.ScheduleQueries;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One fire time of a schedule: what came of it and, when it created a task, how that task stands. */
@Schema(name = "ScheduleRun")
public record ScheduleRunView(
        @Schema(description = "The instant the schedule was due.") Instant fireTime,
        @Schema(description = "When the scheduler handled it; firedAt − fireTime is the lateness.") Instant firedAt,
        RunOutcome outcome,
        @Schema(description = "The task this run created; null when the outcome is SKIPPED_OVERLAP or MISSED.") UUID taskId,
        @Schema(description = "That task's status now: its outcome once it finished.") TaskStatus taskStatus,
        @Schema(description = "The task's URL, when there is one.") String task) {

    static ScheduleRunView of(ScheduleQueries.RunRow row) {
        return new ScheduleRunView(row.fireTime(), row.firedAt(), row.outcome(), row.taskId(), row.taskStatus(),
                row.taskId() == null ? null : TaskResource.PATH + "/" + row.taskId());
    }
}
