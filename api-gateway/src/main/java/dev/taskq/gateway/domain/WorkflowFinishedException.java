package dev.taskq.gateway.domain;

import dev.taskq.common.domain.WorkflowStatus;
import java.util.UUID;

/** A change was asked of a workflow whose tasks have all ended. */
public class WorkflowFinishedException extends RuntimeException {
    public WorkflowFinishedException(UUID id, WorkflowStatus status) {
        super("Workflow " + id + " already finished as " + status + "; every task of it has ended");
    }
}
