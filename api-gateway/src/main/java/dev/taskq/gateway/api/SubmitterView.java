package dev.taskq.gateway.api;

import dev.taskq.store.persistence.TaskEntity;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who submitted a task: the API key's id and its name at the time. */
@Schema(description = "Who submitted the task: the API key (null keyId for a bootstrap token, whose name is 'bootstrap'); "
        + "null for tasks a schedule created or that predate API keys.")
public record SubmitterView(UUID keyId, String name) {

    static SubmitterView of(TaskEntity task) {
        return task.submittedBy == null && task.submittedByKeyId == null ? null
                : new SubmitterView(task.submittedByKeyId, task.submittedBy);
    }
}
