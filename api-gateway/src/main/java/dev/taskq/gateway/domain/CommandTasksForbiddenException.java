package dev.taskq.gateway.domain;

import java.util.List;

/**
 * The caller's roles do not include one that may submit command tasks (taskq.api.command-tasks.submitter-roles): a 403
 * like every other refusal of an authenticated caller.
 */
public class CommandTasksForbiddenException extends AccessDeniedException {

    public CommandTasksForbiddenException(List<String> submitterRoles) {
        super("Only callers with one of the roles " + String.join(", ", submitterRoles) + " may submit command tasks "
                + "(taskq.api.command-tasks.submitter-roles).");
    }
}
