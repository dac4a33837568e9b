package dev.taskq.gateway.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A task as a client submitted it: optional fields are null, the priority and the failure policy are still text. */
public record TaskDraft(
        String prompt,
        String priority,
        List<UUID> dependsOn,
        String workingDir,
        Integer timeoutSeconds,
        Integer maxTurns,
        String model,
        String pool,
        Map<String, String> metadata,
        String onDependencyFailure,
        UUID continueFrom,
        String concurrencyKey,
        Retry retry,
        BigDecimal maxBudgetUsd,
        List<String> allowedTools,
        List<String> disallowedTools,
        String appendSystemPrompt,
        String permissionMode,
        Repo repo,
        String kind,
        Command command,
        Boolean shell,
        String agent) {

    /** The automatic retry settings as submitted; each field null for its default. */
    public record Retry(Integer maxAttempts, Integer initialBackoffSeconds, Integer maxBackoffSeconds, Boolean onTimeout) {}

    /**
     * A command as submitted: an argv ({@code argv}, an element null where the client sent no string there), a shell
     * string ({@code line}), or neither when the client sent something else.
     */
    public record Command(List<String> argv, String line) {}

    /** A repository to work in, as submitted: url and ref unchecked, ref null for the default branch. */
    public record Repo(String url, String ref) {}

    /** The same draft depending on {@code newDependsOn} and continuing from {@code newContinueFrom}. */
    public TaskDraft withDependencies(List<UUID> newDependsOn, UUID newContinueFrom) {
        return new TaskDraft(prompt, priority, newDependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                onDependencyFailure, newContinueFrom, concurrencyKey, retry, maxBudgetUsd, allowedTools, disallowedTools,
                appendSystemPrompt, permissionMode, repo, kind, command, shell, agent);
    }
}
