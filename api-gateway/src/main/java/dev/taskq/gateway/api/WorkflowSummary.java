package dev.taskq.gateway.api;

import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.store.persistence.WorkflowEntity;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A workflow as the list shows it: where it stands, without its graph. */
public record WorkflowSummary(
        UUID id,
        String name,
        WorkflowStatus status,
        int unfinishedTasks,
        Map<String, String> metadata,
        Instant createdAt,
        Instant finishedAt,
        WorkflowView.Links links) {

    static WorkflowSummary of(WorkflowEntity workflow) {
        return new WorkflowSummary(workflow.id, workflow.name, workflow.status, workflow.unfinishedTasks, workflow.metadata,
                workflow.createdAt, workflow.finishedAt, WorkflowView.Links.of(workflow.id));
    }
}
