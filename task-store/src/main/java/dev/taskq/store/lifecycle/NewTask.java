package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.TaskKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A task that passed every submission rule, with its defaults filled in: what {@link TaskCreator} creates.
 * Schedules store it as JSON, so fields added later must be nullable (null means "the default").
 *
 * @param retries how automatic retries wait; null for {@link Retries#DEFAULT}
 * @param onDependencyFailure null for {@link DependencyFailurePolicy#DEFAULT}
 * @param continueFrom a dependency whose context enriches this task's prompt at release; must be in dependsOn
 * @param concurrencyKey tasks sharing it run one at a time
 * @param lineage where a retry or resume comes from; null for a fresh task
 * @param maxBudgetUsd the session's spending cap ({@code --max-budget-usd}); null for none
 * @param allowedTools tool patterns the session may use unasked ({@code --allowedTools}); null or empty for none
 * @param disallowedTools tool patterns the session may not use ({@code --disallowedTools}); null or empty for none
 * @param appendSystemPrompt text added to the session's system prompt; null for none
 * @param permissionMode the session's {@code --permission-mode}; null for the worker's configured one
 * @param repo a repository the session works in (a per-task worktree); null when it names a working dir or none
 * @param command what a command task runs; null for a claude task
 * @param agent the agent role a claude task takes; null for none
 */
public record NewTask(
        String prompt,
        int priority,
        List<UUID> dependsOn,
        String workingDir,
        int timeoutSeconds,
        Integer maxTurns,
        String model,
        String pool,
        Map<String, String> metadata,
        int maxAttempts,
        Retries retries,
        DependencyFailurePolicy onDependencyFailure,
        UUID continueFrom,
        String concurrencyKey,
        Lineage lineage,
        BigDecimal maxBudgetUsd,
        List<String> allowedTools,
        List<String> disallowedTools,
        String appendSystemPrompt,
        String permissionMode,
        Repo repo,
        Command command,
        String agent) {

    /** A task with only the skeleton's fields; every later option at its default. */
    public static NewTask basic(String prompt, int priority, List<UUID> dependsOn, String workingDir, int timeoutSeconds,
            Integer maxTurns, String model, String pool, Map<String, String> metadata, int maxAttempts) {
        return new NewTask(prompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                maxAttempts, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public NewTask withDependsOn(List<UUID> newDependsOn) {
        return new NewTask(prompt, priority, newDependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                maxAttempts, retries, onDependencyFailure, continueFrom, concurrencyKey, lineage,
                maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, permissionMode, repo, command, agent);
    }

    public NewTask withLineage(Lineage newLineage) {
        return new NewTask(prompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                maxAttempts, retries, onDependencyFailure, continueFrom, concurrencyKey, newLineage,
                maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, permissionMode, repo, command, agent);
    }

    public NewTask withPrompt(String newPrompt) {
        return new NewTask(newPrompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                maxAttempts, retries, onDependencyFailure, continueFrom, concurrencyKey, lineage,
                maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, permissionMode, repo, command, agent);
    }

    public NewTask withContinueFrom(UUID newContinueFrom) {
        return new NewTask(prompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                maxAttempts, retries, onDependencyFailure, newContinueFrom, concurrencyKey, lineage,
                maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, permissionMode, repo, command, agent);
    }

    public TaskKind kind() {
        return command == null ? TaskKind.CLAUDE : TaskKind.COMMAND;
    }

    public DependencyFailurePolicy dependencyFailurePolicy() {
        return onDependencyFailure == null ? DependencyFailurePolicy.DEFAULT : onDependencyFailure;
    }

    public Retries retriesOrDefault() {
        return retries == null ? Retries.DEFAULT : retries;
    }

    /**
     * How automatic retries wait (the attempt count is {@code maxAttempts}).
     *
     * @param onTimeout whether a timed-out attempt is retried
     */
    public record Retries(Duration initialBackoff, Duration maxBackoff, boolean onTimeout) {
        public static final Retries DEFAULT = new Retries(Duration.ofSeconds(10), Duration.ofMinutes(10), false);
    }

    /**
     * Where a task comes from, when it repeats or continues another.
     *
     * @param retryOf the failed task a manual retry repeats
     * @param parentTaskId the task a resume continues
     * @param resumeSessionId the Claude session a resume continues ({@code claude --resume})
     * @param resumeWorkerId the worker that ran that session and holds its transcript
     */
    /**
     * A git repository to work in: the worker clones it (once per worker, as a mirror) and checks {@code ref} out into
     * a worktree of the task's own.
     *
     * @param ref a branch, tag or commit; null for the repository's default branch
     */
    public record Repo(String url, String ref) {}

    /**
     * What a command task runs.
     *
     * @param argv the program and its arguments, run without a shell; with {@code shell}, one element: the command line
     * @param shell whether {@code argv} is a line for {@code /bin/sh -c}
     */
    public record Command(List<String> argv, boolean shell) {
        public Command {
            argv = List.copyOf(argv);
        }
    }

    public record Lineage(UUID retryOf, UUID parentTaskId, UUID resumeSessionId, String resumeWorkerId) {}
}
