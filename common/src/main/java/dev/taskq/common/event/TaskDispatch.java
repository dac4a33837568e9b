package dev.taskq.common.event;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.domain.TaskKind;
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
 * @param kind what to run: a Claude session, or with {@link TaskKind#COMMAND} the {@code command}; absent (a dispatch
 *     written before kinds existed) reads as {@link TaskKind#CLAUDE}
 * @param command for a command task its argv, run without a shell; with {@code shell} one element, the command line
 *     {@code /bin/sh -c} runs. Empty for a claude task
 * @param shell whether {@code command} is a shell string
 * @param agent the agent role whose settings were merged into this dispatch ({@link #withAgentRole}); null for none
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
        UUID workspaceId,
        TaskKind kind,
        List<String> command,
        Boolean shell,
        String agent) {

    public TaskDispatch {
        // A dispatch written before these fields existed reads them as null.
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
        disallowedTools = disallowedTools == null ? List.of() : List.copyOf(disallowedTools);
        kind = TaskKind.orDefault(kind);
        command = command == null ? List.of() : List.copyOf(command);
        shell = Boolean.TRUE.equals(shell);
    }

    /**
     * A claude task's dispatch, without an agent role. A factory rather than a second constructor, so JSON binding has
     * only the canonical one to choose.
     */
    public static TaskDispatch ofClaude(UUID taskId, int attempt, int priority, String pool, String prompt, String workingDir,
            int timeoutSeconds, Integer maxTurns, String model, UUID sessionId, Map<String, String> metadata, Instant readyAt,
            Instant dispatchedAt, UUID resumeSessionId, String targetWorkerId, BigDecimal maxBudgetUsd,
            List<String> allowedTools, List<String> disallowedTools, String appendSystemPrompt, String permissionMode,
            String repoUrl, String repoRef, UUID workspaceId) {
        return new TaskDispatch(taskId, attempt, priority, pool, prompt, workingDir, timeoutSeconds, maxTurns, model, sessionId, metadata,
                readyAt, dispatchedAt, resumeSessionId, targetWorkerId, maxBudgetUsd, allowedTools, disallowedTools,
                appendSystemPrompt, permissionMode, repoUrl, repoRef, workspaceId, TaskKind.CLAUDE, List.of(), false, null);
    }

    // Not isCommand(): Jackson would write that as a boolean "command" over the argv.
    public boolean runsCommand() {
        return kind == TaskKind.COMMAND;
    }

    /**
     * This dispatch with an agent role's settings merged in. Whatever the task set itself wins: its model, max turns,
     * budget, and its allowed or disallowed tool list (a non-empty list replaces the role's whole list). The one
     * exception is the system prompt addition: the role's text comes first and the task's follows after a blank line,
     * so a task can add to a role's instructions but not lose them.
     */
    public TaskDispatch withAgentRole(AgentRole role) {
        String appended = joined(role.appendSystemPrompt(), appendSystemPrompt);
        return new TaskDispatch(taskId, attempt, priority, pool, prompt, workingDir, timeoutSeconds,
                maxTurns != null ? maxTurns : role.maxTurns(),
                model != null ? model : role.model(),
                sessionId, metadata, readyAt, dispatchedAt, resumeSessionId, targetWorkerId,
                maxBudgetUsd != null ? maxBudgetUsd : role.maxBudgetUsd(),
                allowedTools.isEmpty() ? role.allowedTools() : allowedTools,
                disallowedTools.isEmpty() ? role.disallowedTools() : disallowedTools,
                appended, permissionMode, repoUrl, repoRef, workspaceId, kind, command, shell, role.name());
    }

    private static String joined(String first, String second) {
        boolean hasFirst = first != null && !first.isBlank();
        boolean hasSecond = second != null && !second.isBlank();
        if (hasFirst && hasSecond) {
            return first + "\n\n" + second;
        }
        return hasFirst ? first : hasSecond ? second : null;
    }
}
