package dev.taskq.cli.command;

import dev.taskq.cli.client.TaskRequest;
import dev.taskq.common.domain.DependencyFailurePolicy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The settings of a task, shared by {@code submit} and {@code schedule create}; the API checks their values. */
final class TaskOptions {

    @Option(names = {"-p", "--priority"}, paramLabel = "PRIORITY",
            description = "1 (lowest) to 10 (highest), or P0 (most urgent) to P3. Default 5.")
    String priority;

    @Option(names = "--pool", paramLabel = "POOL", description = "The worker pool that may run it. Default 'default'.")
    String pool;

    @Option(names = "--working-dir", paramLabel = "DIR",
            description = "Absolute directory on the worker the session runs in, under one of the server's allowed roots.")
    String workingDir;

    @Option(names = "--repo", paramLabel = "URL",
            description = "A git repository the worker clones for the task (a worktree of its own) instead of --working-dir:"
                    + " https://..., ssh://... or git@host:path.")
    String repoUrl;

    @Option(names = "--ref", paramLabel = "REF", description = "The branch, tag or commit of --repo to check out (default: its default branch).")
    String repoRef;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationSeconds.class,
            description = "Time before the session is killed: seconds (600) or with units (90s, 10m, 2h). Default 1h.")
    Integer timeoutSeconds;

    @Option(names = "--max-turns", paramLabel = "N", description = "The most agentic turns the session may take (1 to 1000).")
    Integer maxTurns;

    @Option(names = "--model", paramLabel = "MODEL", description = "The model the session uses, e.g. claude-sonnet-4-5.")
    String model;

    @Option(names = "--depends-on", paramLabel = "ID",
            description = "A task that must succeed first (repeatable; see --on-dependency-failure).")
    List<UUID> dependsOn = new ArrayList<>();

    @Option(names = "--continue-from", paramLabel = "ID",
            description = "A dependency whose result, output tail, errors and git state are added to the prompt.")
    UUID continueFrom;

    @Option(names = "--on-dependency-failure", paramLabel = "POLICY",
            description = "What to do when a dependency does not succeed: ${COMPLETION-CANDIDATES} (default fail).")
    DependencyFailurePolicy onDependencyFailure;

    @Option(names = "--concurrency-key", paramLabel = "KEY",
            description = "Tasks sharing a key never run at the same time, e.g. repo:acme/app.")
    String concurrencyKey;

    @Option(names = "--max-attempts", paramLabel = "N",
            description = "Attempts in all for causes outside the task's control (lost worker, API overloaded). Default 3.")
    Integer maxAttempts;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "A label carried with the task (repeatable).")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--notify", paramLabel = "DESTINATION",
            description = "Announce the task's endings to this configured notification destination (repeatable).")
    List<String> notify = new ArrayList<>();

    @Option(names = "--max-budget-usd", paramLabel = "USD", description = "The most the session may spend, e.g. 2.50.")
    BigDecimal maxBudgetUsd;

    @Option(names = "--allowed-tool", paramLabel = "PATTERN",
            description = "A tool the session may use without asking, e.g. 'Bash(git:*)' (repeatable).")
    List<String> allowedTools = new ArrayList<>();

    @Option(names = "--disallowed-tool", paramLabel = "PATTERN", description = "A tool the session must not use (repeatable).")
    List<String> disallowedTools = new ArrayList<>();

    @Option(names = "--append-system-prompt", paramLabel = "TEXT", description = "Added to the session's system prompt.")
    String appendSystemPrompt;

    @Option(names = "--permission-mode", paramLabel = "MODE",
            description = "default, acceptEdits, plan, auto, dontAsk or bypassPermissions.")
    String permissionMode;

    @Option(names = "--agent", paramLabel = "ROLE",
            description = "The agent role the session takes, e.g. reviewer (GET /api/v1/agent-roles lists them).")
    String agent;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    TaskRequest toRequest(String prompt) {
        if (repoRef != null && repoUrl == null) {
            throw new CommandLine.ParameterException(command.commandLine(), "--ref needs --repo: the ref is of the repository to clone");
        }
        return new TaskRequest(prompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                notify.stream().map(TaskRequest.NotifyTarget::new).toList(),
                onDependencyFailure == null ? null : onDependencyFailure.name().toLowerCase(Locale.ROOT),
                continueFrom, concurrencyKey, maxAttempts == null ? null : new TaskRequest.Retry(maxAttempts),
                maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, permissionMode,
                repoUrl == null ? null : new TaskRequest.Repo(repoUrl, repoRef), null, null, null, agent);
    }
}
