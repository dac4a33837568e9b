package dev.taskq.store.schedule;

import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator.PlannedTask;
import dev.taskq.store.lifecycle.TaskCreator.PlannedWorkflow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The workflow a schedule creates at each run, stored as jsonb: a workflow validated like a submission when the
 * schedule was created, whose tasks carry <em>template ids</em>. A task's dependencies name other tasks of the template
 * by their template id, or tasks that already existed then by their real id; each run gives every task a fresh id.
 */
public record WorkflowTemplate(String name, Map<String, String> metadata, List<Node> tasks) {

    /** One task of the template: its id inside the template, its ref, and the task with its notify entries. */
    public record Node(UUID templateId, String ref, TaskTemplate task) {}

    /** A new workflow of this template with id {@code workflowId}: fresh task ids, the edges between them kept. */
    public PlannedWorkflow instantiate(UUID workflowId) {
        Map<UUID, UUID> fresh = new HashMap<>();
        for (Node node : tasks) {
            fresh.put(node.templateId(), UUID.randomUUID());
        }
        List<PlannedTask> planned = tasks.stream().map(node -> {
            NewTask task = node.task().task();
            NewTask mapped = task.withDependsOn(task.dependsOn().stream().map(id -> fresh.getOrDefault(id, id)).toList())
                    .withContinueFrom(task.continueFrom() == null ? null : fresh.getOrDefault(task.continueFrom(), task.continueFrom()));
            return new PlannedTask(fresh.get(node.templateId()), node.ref(), mapped, node.task().notifyEntries());
        }).toList();
        return new PlannedWorkflow(workflowId, name, metadata == null ? Map.of() : new HashMap<>(metadata), planned);
    }
}
