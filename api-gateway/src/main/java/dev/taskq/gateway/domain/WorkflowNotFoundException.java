package dev.taskq.gateway.domain;

import java.util.UUID;

/** No workflow has the id a client named. */
public class WorkflowNotFoundException extends RuntimeException {
    public WorkflowNotFoundException(UUID id) {
        super("No workflow exists with id " + id);
    }
}
