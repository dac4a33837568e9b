package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.TaskDraft;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A git repository a task works in: the worker clones it and checks ref out into a worktree of the task's own. */
@Schema(name = "Repo", description = TaskFieldRules.REPO)
public record RepoRequest(
        @Schema(required = true, description = TaskFieldRules.REPO_URL, examples = "https://github.com/acme/app.git")
        String url,
        @Schema(description = TaskFieldRules.REPO_REF, examples = "main")
        String ref) {

    TaskDraft.Repo toDraft() {
        return new TaskDraft.Repo(url, ref);
    }

    static TaskDraft.Repo toDraft(RepoRequest repo) {
        return repo == null ? null : repo.toDraft();
    }
}
