package dev.taskq.gateway.domain;

import java.util.List;

/**
 * A task is well formed but asks for something the configuration or the stored agent roles refuse: a command outside
 * the pool's allowlist, a shell where none is allowed, an agent role that does not exist. Answered 422.
 */
public class TaskNotAllowedException extends InvalidRequestException {

    /** What was refused, which decides the problem type. */
    public enum Reason { COMMAND_NOT_ALLOWED, UNKNOWN_AGENT_ROLE }

    private final Reason reason;

    public TaskNotAllowedException(Reason reason, List<FieldError> errors) {
        super(errors);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
