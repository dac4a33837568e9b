package dev.taskq.gateway.api;

import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.schedule.ScheduleEntity;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who submitted a task or created a schedule: the API key's id and its name at the time. */
@Schema(description = "Who submitted the task (or created the schedule): the API key (null keyId for a bootstrap token, "
        + "whose name is 'bootstrap'). A task a schedule fires is submitted in the name of the schedule's creator. Null "
        + "where that was not recorded: tasks and schedules older than API keys, or a schedule's tasks older than its owner.")
public record SubmitterView(UUID keyId, String name) {

    static SubmitterView of(TaskEntity task) {
        return of(task.submittedByKeyId, task.submittedBy);
    }

    static SubmitterView of(ScheduleEntity schedule) {
        return of(schedule.createdByKeyId, schedule.createdBy);
    }

    private static SubmitterView of(UUID keyId, String name) {
        return name == null && keyId == null ? null : new SubmitterView(keyId, name);
    }
}
