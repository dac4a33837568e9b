package dev.taskq.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The body of POST /api/v1/tasks (and a schedule's task template); what is not set is left out for the API's default. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TaskRequest(
        String prompt,
        String priority,
        List<UUID> dependsOn,
        String workingDir,
        Integer timeoutSeconds,
        Integer maxTurns,
        String model,
        String pool,
        Map<String, String> metadata,
        @JsonProperty("notify") List<NotifyTarget> notifications,
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
        Object command,
        Boolean shell,
        String agent) {

    /**
     * This request as a command task: {@code command} is the argv, or with {@code shell} the one command line (sent as
     * a string).
     */
    public TaskRequest asCommand(List<String> argv, boolean shellLine) {
        Object sent = shellLine ? String.join(" ", argv) : List.copyOf(argv);
        return new TaskRequest(prompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                notifications, onDependencyFailure, continueFrom, concurrencyKey, retry, maxBudgetUsd, allowedTools,
                disallowedTools, appendSystemPrompt, permissionMode, repo, "command", sent, shellLine ? Boolean.TRUE : null, agent);
    }

    /** A notify entry naming a destination created with POST /api/v1/notification-destinations. */
    public record NotifyTarget(String destination) {}

    /** A repository the worker clones for the task; ref null for its default branch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Repo(String url, String ref) {}

    /** The automatic retry settings the CLI sets. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retry(Integer maxAttempts) {}
}
