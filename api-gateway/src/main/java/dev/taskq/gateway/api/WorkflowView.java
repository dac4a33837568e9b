package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.gateway.persistence.WorkflowDetails;
import dev.taskq.store.persistence.WorkflowEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A workflow with its graph: every task with its state, and every dependency as an edge. */
@Schema(name = "Workflow")
public record WorkflowView(
        UUID id,
        String name,
        @Schema(description = "RUNNING until every task ended; then SUCCEEDED, FAILED (a task failed, timed out or was "
                + "upstream-failed) or CANCELLED. A task superseded by a manual retry no longer counts; its retry does.")
        WorkflowStatus status,
        @Schema(description = "Tasks that have not ended.")
        int unfinishedTasks,
        Instant createdAt,
        Instant finishedAt,
        Map<String, String> metadata,
        @Schema(description = "The Claude Code session that submitted it; null when none was named.")
        String submittedBySession,
        @Schema(description = "The tasks: in request order when created; dependencies first when read back.")
        List<Node> tasks,
        @Schema(description = "One edge per dependency, from the task depended on to the task that waits for it.")
        List<Edge> edges,
        @Schema(description = "Where the workflow's outcome is announced (its own notify list), secrets left out.")
        @JsonProperty("notify") List<NotifyView> notifications,
        Links links) {

    /** A task as a node of the graph; GET /api/v1/tasks/{id} shows it in full. */
    @Schema(name = "WorkflowTask")
    public record Node(
            @Schema(description = "The task's ref in the workflow (a manual retry's is the original's with #2, #3, …).")
            String ref,
            UUID id,
            TaskStatus status,
            String statusReason,
            @Schema(description = "Refs of tasks of this workflow, ids of tasks outside it.")
            List<String> dependsOn,
            @Schema(enumeration = {"fail", "skip", "run"})
            String onDependencyFailure,
            @Schema(description = "The task this one repeats, when it is a manual retry.")
            UUID retryOf) {}

    /** A dependency: {@code to} runs after {@code from}. */
    @Schema(name = "WorkflowEdge")
    public record Edge(
            @Schema(description = "The ref of the task depended on, or its id when it is outside the workflow.")
            String from,
            @Schema(description = "The ref of the task that waits.")
            String to) {}

    /** Where to find the workflow and how to cancel it. */
    @Schema(name = "WorkflowLinks")
    public record Links(String self, String cancel) {

        static Links of(UUID id) {
            String self = WorkflowResource.PATH + "/" + id;
            return new Links(self, self + "/cancel");
        }
    }

    static WorkflowView of(WorkflowDetails details) {
        WorkflowEntity workflow = details.workflow();
        Map<UUID, String> names = new HashMap<>();
        details.nodes().forEach(node -> names.put(node.id(), label(node.ref(), node.id())));
        List<Node> nodes = new ArrayList<>(details.nodes().size());
        List<Edge> edges = new ArrayList<>();
        for (WorkflowDetails.Node node : details.nodes()) {
            List<String> dependsOn = node.dependsOn().stream().map(id -> names.getOrDefault(id, id.toString())).toList();
            nodes.add(new Node(node.ref(), node.id(), node.status(), node.statusReason(), dependsOn,
                    TaskView.wire(node.onDependencyFailure()), node.retryOf()));
            String to = names.get(node.id());
            dependsOn.forEach(from -> edges.add(new Edge(from, to)));
        }
        return new WorkflowView(workflow.id, workflow.name, workflow.status, workflow.unfinishedTasks, workflow.createdAt,
                workflow.finishedAt, workflow.metadata, workflow.submittedBySession, nodes, edges,
                details.notifications().stream().map(NotifyView::of).toList(), Links.of(workflow.id));
    }

    private static String label(String ref, UUID id) {
        return ref != null ? ref : id.toString();
    }
}
