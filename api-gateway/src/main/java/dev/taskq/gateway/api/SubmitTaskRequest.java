package dev.taskq.gateway.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskq.gateway.domain.NotifyEntry;
import dev.taskq.gateway.domain.TaskDraft;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/v1/tasks; limits that come from configuration are checked by SubmissionRules. */
@Schema(name = "SubmitTaskRequest", description = "A prompt to run in a background Claude Code session, or (kind command) a command to run.")
@PromptUnlessCommand
public record SubmitTaskRequest(
        @Schema(description = "What the session should do; required for a claude task. At most 100000 characters by default "
                + "(taskq.api.submission.max-prompt-chars). For a command task an optional description (default: the command line).")
        @JsonDeserialize(using = JsonTextOnly.class)
        String prompt,

        // Documented as a string, which every client can send; a JSON number is accepted too.
        @Schema(description = "1 (lowest) to 10 (highest), or a class P0 (most urgent) to P3. A JSON number works as well. Default 5.",
                examples = {"7", "P0"})
        String priority,

        @Schema(description = "Tasks that must succeed before this one runs (see onDependencyFailure for when one does not); "
                + "at most 100, each once.")
        @Size(max = 100, message = "must list at most 100 tasks")
        List<@NotNull UUID> dependsOn,

        @Schema(description = TaskFieldRules.WORKING_DIR, examples = "/srv/checkouts/app")
        String workingDir,

        @Schema(description = "Seconds before the session is killed: 1 to 86400 (taskq.api.submission.max-timeout-seconds). Default 3600.")
        @Min(value = 1, message = TaskFieldRules.TIMEOUT_MESSAGE)
        Integer timeoutSeconds,

        @Schema(description = "The most agentic turns the session may take: 1 to 1000.")
        @Min(value = 1, message = TaskFieldRules.MAX_TURNS_MESSAGE)
        @Max(value = TaskFieldRules.MAX_TURNS, message = TaskFieldRules.MAX_TURNS_MESSAGE)
        Integer maxTurns,

        @Schema(description = "The model the session uses; the CLI's default when absent.", examples = "claude-sonnet-4-5")
        @Pattern(regexp = TaskFieldRules.MODEL_PATTERN, message = TaskFieldRules.MODEL_MESSAGE)
        String model,

        @Schema(description = "The worker pool that may run the task. Default 'default'.", examples = "gpu")
        @Pattern(regexp = TaskFieldRules.POOL_PATTERN, message = TaskFieldRules.POOL_MESSAGE)
        String pool,

        @Schema(description = "Free-form labels carried with the task: at most 50 entries, keys up to 100 and values up to 2000 characters.",
                maxProperties = 50)
        @Size(max = TaskFieldRules.METADATA_ENTRIES, message = TaskFieldRules.METADATA_ENTRIES_MESSAGE)
        Map<@NotBlank(message = TaskFieldRules.METADATA_KEY_BLANK_MESSAGE)
                @Size(max = TaskFieldRules.METADATA_KEY_CHARS, message = TaskFieldRules.METADATA_KEY_MESSAGE) String,
                @NotNull(message = TaskFieldRules.METADATA_VALUE_NULL_MESSAGE)
                @Size(max = TaskFieldRules.METADATA_VALUE_CHARS, message = TaskFieldRules.METADATA_VALUE_MESSAGE) String>
                metadata,

        @Schema(description = "Where to announce this task's events, at most 10 entries. Invalid entries are a 422 naming notify[i].<field>.")
        @JsonProperty("notify")
        List<@NotNull NotifyEntryRequest> notifications,

        @Schema(description = TaskFieldRules.ON_DEPENDENCY_FAILURE, enumeration = {"fail", "skip", "run"})
        String onDependencyFailure,

        @Schema(description = "A dependency whose result, last output lines, errors and git state are added to this task's "
                + "prompt when it is released, so it picks up where that task stopped. Added to dependsOn when not listed there.")
        UUID continueFrom,

        @Schema(description = TaskFieldRules.CONCURRENCY_KEY, examples = "repo:acme/app")
        String concurrencyKey,

        @Schema(description = "Automatic retries; every field has a default.")
        RetrySettings retry,

        @Schema(description = TaskFieldRules.MAX_BUDGET_USD, examples = "2.50")
        @DecimalMin(value = TaskFieldRules.MAX_BUDGET_USD_MIN, inclusive = false, message = TaskFieldRules.MAX_BUDGET_USD_MESSAGE)
        @DecimalMax(value = TaskFieldRules.MAX_BUDGET_USD_MAX, message = TaskFieldRules.MAX_BUDGET_USD_MESSAGE)
        @Digits(integer = 5, fraction = 4, message = TaskFieldRules.MAX_BUDGET_USD_MESSAGE)
        BigDecimal maxBudgetUsd,

        @Schema(description = TaskFieldRules.ALLOWED_TOOLS, examples = "[\"Bash(git:*)\", \"Edit\"]")
        @Size(max = TaskFieldRules.TOOL_PATTERNS, message = TaskFieldRules.TOOL_PATTERNS_MESSAGE)
        List<@NotBlank(message = TaskFieldRules.TOOL_PATTERN_BLANK_MESSAGE)
                @Size(max = TaskFieldRules.TOOL_PATTERN_CHARS, message = TaskFieldRules.TOOL_PATTERN_LENGTH_MESSAGE)
                @Pattern(regexp = TaskFieldRules.TOOL_PATTERN_PATTERN, message = TaskFieldRules.TOOL_PATTERN_MESSAGE) String>
                allowedTools,

        @Schema(description = TaskFieldRules.DISALLOWED_TOOLS, examples = "[\"WebFetch\"]")
        @Size(max = TaskFieldRules.TOOL_PATTERNS, message = TaskFieldRules.TOOL_PATTERNS_MESSAGE)
        List<@NotBlank(message = TaskFieldRules.TOOL_PATTERN_BLANK_MESSAGE)
                @Size(max = TaskFieldRules.TOOL_PATTERN_CHARS, message = TaskFieldRules.TOOL_PATTERN_LENGTH_MESSAGE)
                @Pattern(regexp = TaskFieldRules.TOOL_PATTERN_PATTERN, message = TaskFieldRules.TOOL_PATTERN_MESSAGE) String>
                disallowedTools,

        @Schema(description = TaskFieldRules.APPEND_SYSTEM_PROMPT)
        @Size(min = 1, max = TaskFieldRules.APPEND_SYSTEM_PROMPT_CHARS, message = TaskFieldRules.APPEND_SYSTEM_PROMPT_MESSAGE)
        String appendSystemPrompt,

        @Schema(description = TaskFieldRules.PERMISSION_MODE,
                enumeration = {"default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions"})
        String permissionMode,

        @Schema(description = TaskFieldRules.REPO)
        RepoRequest repo,

        @Schema(description = TaskFieldRules.KIND, enumeration = {"claude", "command"})
        String kind,

        @Schema(description = TaskFieldRules.COMMAND, oneOf = {String[].class, String.class}, examples = "[\"npm\", \"test\"]")
        Object command,

        @Schema(description = TaskFieldRules.SHELL)
        Boolean shell,

        @Schema(description = TaskFieldRules.AGENT, examples = "reviewer")
        String agent) {

    public TaskDraft toDraft() {
        return new TaskDraft(prompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns, model, pool, metadata,
                onDependencyFailure, continueFrom, concurrencyKey, retry == null ? null : retry.toDraft(),
                maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, permissionMode,
                RepoRequest.toDraft(repo), kind, CommandRequest.toDraft(command), shell, agent);
    }

    public List<NotifyEntry> notifyEntries() {
        return NotifyEntryRequest.toEntries(notifications);
    }
}
