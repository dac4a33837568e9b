package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskq.gateway.domain.WorkflowDraft;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/v1/workflows. Every problem is a 422 naming its field ({@code tasks[2].dependsOn[0]}, …). */
@Schema(name = "CreateWorkflowRequest", description = """
        A DAG of tasks created in one request, all or nothing. Each task has a ref; dependsOn and continueFrom name refs \
        of this workflow or ids of tasks that already exist. A dependency on an existing task that already ended counts \
        at once: succeeded, it is met; otherwise the task's onDependencyFailure decides.""")
public record CreateWorkflowRequest(
        @Schema(description = "A name people recognise the workflow by, at most 200 characters.", examples = "release 2.4")
        String name,

        @Schema(description = "Free-form labels of the workflow: at most 50 entries, keys up to 100 and values up to 2000 characters.",
                maxProperties = 50)
        @Size(max = 50, message = "must have at most 50 entries")
        Map<@NotBlank(message = "key must not be blank") @Size(max = 100, message = "key must be at most 100 characters") String,
                @NotNull(message = "value must be a string") @Size(max = 2000, message = "value must be at most 2000 characters") String>
                metadata,

        @Schema(required = true, description = "1 to 10000 tasks (taskq.api.workflows.max-tasks), with at most 100000 dependency "
                + "entries in all (taskq.api.workflows.max-dependencies). The response lists them in this order.")
        List<WorkflowTaskRequest> tasks,

        @Schema(description = "Where to announce the workflow's outcome (WORKFLOW_FINISHED), at most 10 entries: a configured "
                + "destination by name or an inline one, as in a task's notify. events may only name WORKFLOW_FINISHED (the "
                + "default); each task's own notify hears its task events. Invalid entries are a 422 naming notify[i].<field>.")
        @JsonProperty("notify")
        List<@NotNull NotifyEntryRequest> notifications) {

    public WorkflowDraft toDraft() {
        return new WorkflowDraft(name, metadata,
                tasks == null ? null : tasks.stream().map(task -> task == null ? null : task.toDraft()).toList(),
                NotifyEntryRequest.toEntries(notifications));
    }
}
