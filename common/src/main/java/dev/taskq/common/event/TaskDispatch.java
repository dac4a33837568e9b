package dev.taskq.common.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One attempt of a task, released to a worker. A worker runs it only while (taskId, attempt) is
 * current; a later attempt of the same task fences this one off.
 *
 * @param sessionId the Claude session id chosen for this attempt, so it is known before the process starts
 * @param prompt what the session is asked; for a continuation, enriched with the parent's context
 * @param readyAt when the task became ready to run, for dispatch latency
 * @param resumeSessionId when set, the session continues this earlier session's transcript
 *     ({@code claude --resume}) instead of starting a fresh one
 * @param targetWorkerId when set, only this worker may run the dispatch: it holds the transcript to resume, or the
 *     dispatch was re-sent to it because it had a free slot while the dispatch waited behind a full worker
 * @param maxBudgetUsd {@code --max-budget-usd}; null for no budget
 * @param allowedTools {@code --allowedTools} patterns such as {@code Bash(git:*)}; empty for none
 * @param disallowedTools {@code --disallowedTools} patterns; empty for none
 * @param appendSystemPrompt {@code --append-system-prompt}; null for none
 * @param permissionMode {@code --permission-mode}; null for the worker's configured mode
 * @param repoUrl when set, the session runs in a per-task git worktree of this repository (workingDir is then null)
 * @param repoRef the branch, tag or commit the worktree checks out; null for the repository's default branch
 * @param workspaceId names the per-task worktree of {@code repoUrl}: the task's own id, or for a resume the id of the
 *     task whose worktree (and so whose session transcript, keyed by directory) it continues
 */
public record TaskDispatch(
        UUID taskId,
        int attempt,
        int priority,
        String pool,
        String prompt,
        String workingDir,
        int timeoutSeconds,
        Integer maxTurns,
        String model,
        UUID sessionId,
        Map<String, String> metadata,
        Instant readyAt,
        Instant dispatchedAt,
        UUID resumeSessionId,
        String targetWorkerId,
        BigDecimal maxBudgetUsd,
        List<String> allowedTools,
        List<String> disallowedTools,
        String appendSystemPrompt,
        String permissionMode,
        String repoUrl,
        String repoRef,
        UUID workspaceId) {

    public TaskDispatch {
        // A dispatch written before these fields existed reads them as null.
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
        disallowedTools = disallowedTools == null ? List.of() : List.copyOf(disallowedTools);
    }
}
