package dev.taskq.common.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * A named agent role a claude task can take ({@code agent: reviewer}): what it is for, and the session settings it
 * brings. Every setting is optional (null, or an empty list): the task's own settings, then the worker's, apply.
 *
 * @param appendSystemPrompt added to the session's system prompt ({@code --append-system-prompt})
 * @param allowedTools {@code --allowedTools} patterns
 * @param disallowedTools {@code --disallowedTools} patterns
 * @param model {@code --model}
 * @param maxTurns {@code --max-turns}
 * @param maxBudgetUsd {@code --max-budget-usd}
 */
public record AgentRole(
        String name,
        String description,
        String appendSystemPrompt,
        List<String> allowedTools,
        List<String> disallowedTools,
        String model,
        Integer maxTurns,
        BigDecimal maxBudgetUsd) {

    /** Role names: 1 to 64 of a-z 0-9 . _ -, starting with a letter (they appear in URLs and in configuration). */
    public static final String NAME_PATTERN = "[a-z][a-z0-9._-]{0,63}";

    public AgentRole {
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
        disallowedTools = disallowedTools == null ? List.of() : List.copyOf(disallowedTools);
    }
}
