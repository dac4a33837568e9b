package dev.taskq.gateway.api;

import dev.taskq.store.persistence.TaskEntity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The repository a task works in, as it was submitted. */
@Schema(name = "RepoView", description = "The git repository the task works in (a worktree of its own), instead of a workingDir.")
public record RepoView(
        String url,
        @Schema(description = "The branch, tag or commit checked out; null for the repository's default branch.")
        String ref) {

    static RepoView of(TaskEntity task) {
        return task.repoUrl == null ? null : new RepoView(task.repoUrl, task.repoRef);
    }
}
