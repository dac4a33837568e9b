package dev.taskq.gateway.domain;

import java.util.List;

/**
 * A task is well formed but names a workspace the rules refuse: a workingDir outside the allowed roots or with
 * {@code ..}, a repository URL or ref that may not be used. Answered 422, where a malformed request is 400.
 */
public class WorkspaceNotAllowedException extends InvalidRequestException {

    public WorkspaceNotAllowedException(List<FieldError> errors) {
        super(errors);
    }

    /** Whether a field error is about the task's workspace (workingDir, repo and its parts). */
    static boolean isWorkspaceField(String field) {
        return field.equals("workingDir") || field.equals("repo") || field.startsWith("repo.");
    }
}
