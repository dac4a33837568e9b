package dev.taskq.gateway.api;

import dev.taskq.common.domain.AgentRole;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of PUT /api/v1/agent-roles/{name}: every setting of the role, absent ones unset. */
@Schema(name = "AgentRoleRequest", description = "An agent role's settings; each applies to a claude task naming the role "
        + "unless the task sets its own.")
public record AgentRoleRequest(
        @Schema(required = true, description = "What the role is for, shown to people choosing one: 1 to 2000 characters.")
        @NotBlank(message = "is required: what the role is for")
        @Size(max = 2000, message = "must be at most 2000 characters")
        String description,

        @Schema(description = TaskFieldRules.APPEND_SYSTEM_PROMPT + " A task's own text follows the role's.")
        @Size(min = 1, max = TaskFieldRules.APPEND_SYSTEM_PROMPT_CHARS, message = TaskFieldRules.APPEND_SYSTEM_PROMPT_MESSAGE)
        @Pattern(regexp = "[^\\x00]*", message = "must not contain a NUL character")
        String appendSystemPrompt,

        @Schema(description = TaskFieldRules.ALLOWED_TOOLS)
        @Size(max = TaskFieldRules.TOOL_PATTERNS, message = TaskFieldRules.TOOL_PATTERNS_MESSAGE)
        List<@NotBlank(message = TaskFieldRules.TOOL_PATTERN_BLANK_MESSAGE)
                @Size(max = TaskFieldRules.TOOL_PATTERN_CHARS, message = TaskFieldRules.TOOL_PATTERN_LENGTH_MESSAGE)
                @Pattern(regexp = TaskFieldRules.TOOL_PATTERN_PATTERN, message = TaskFieldRules.TOOL_PATTERN_MESSAGE) String>
                allowedTools,

        @Schema(description = TaskFieldRules.DISALLOWED_TOOLS)
        @Size(max = TaskFieldRules.TOOL_PATTERNS, message = TaskFieldRules.TOOL_PATTERNS_MESSAGE)
        List<@NotBlank(message = TaskFieldRules.TOOL_PATTERN_BLANK_MESSAGE)
                @Size(max = TaskFieldRules.TOOL_PATTERN_CHARS, message = TaskFieldRules.TOOL_PATTERN_LENGTH_MESSAGE)
                @Pattern(regexp = TaskFieldRules.TOOL_PATTERN_PATTERN, message = TaskFieldRules.TOOL_PATTERN_MESSAGE) String>
                disallowedTools,

        @Schema(description = "The model (claude --model); the CLI's default when neither role nor task names one.",
                examples = "sonnet")
        @Pattern(regexp = TaskFieldRules.MODEL_PATTERN, message = TaskFieldRules.MODEL_MESSAGE)
        String model,

        @Schema(description = "The most agentic turns (claude --max-turns): 1 to 1000.")
        @Min(value = 1, message = TaskFieldRules.MAX_TURNS_MESSAGE)
        @Max(value = TaskFieldRules.MAX_TURNS, message = TaskFieldRules.MAX_TURNS_MESSAGE)
        Integer maxTurns,

        @Schema(description = TaskFieldRules.MAX_BUDGET_USD)
        @DecimalMin(value = TaskFieldRules.MAX_BUDGET_USD_MIN, inclusive = false, message = TaskFieldRules.MAX_BUDGET_USD_MESSAGE)
        @DecimalMax(value = TaskFieldRules.MAX_BUDGET_USD_MAX, message = TaskFieldRules.MAX_BUDGET_USD_MESSAGE)
        @Digits(integer = 5, fraction = 4, message = TaskFieldRules.MAX_BUDGET_USD_MESSAGE)
        BigDecimal maxBudgetUsd) {

    AgentRole toRole(String name) {
        return new AgentRole(name, description, appendSystemPrompt, allowedTools, disallowedTools, model, maxTurns, maxBudgetUsd);
    }
}
