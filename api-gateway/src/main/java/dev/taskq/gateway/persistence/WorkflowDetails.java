package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.notification.WorkflowNotificationEntity;
import dev.taskq.store.persistence.WorkflowEntity;
import java.util.List;
import java.util.UUID;

/** A workflow with its nodes (each with its dependency ids), in the order the API lists them, and its own notify list. */
public record WorkflowDetails(WorkflowEntity workflow, List<Node> nodes, List<WorkflowNotificationEntity> notifications) {

    /** One task of the workflow, without its prompt and result: what the graph view needs. */
    public record Node(UUID id, String ref, TaskStatus status, String statusReason,
                       DependencyFailurePolicy onDependencyFailure, UUID retryOf, List<UUID> dependsOn) {}
}
