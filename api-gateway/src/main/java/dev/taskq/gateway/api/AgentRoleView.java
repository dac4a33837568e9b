package dev.taskq.gateway.api;

import dev.taskq.store.persistence.AgentRoleEntity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An agent role as the API shows it. */
@Schema(name = "AgentRoleView", description = "A named agent role a claude task can take with agent: <name>.")
public record AgentRoleView(
        String name,
        String description,
        String appendSystemPrompt,
        List<String> allowedTools,
        List<String> disallowedTools,
        String model,
        Integer maxTurns,
        BigDecimal maxBudgetUsd,
        Instant createdAt,
        Instant updatedAt) {

    static AgentRoleView of(AgentRoleEntity role) {
        return new AgentRoleView(role.name, role.description, role.appendSystemPrompt, role.allowedTools, role.disallowedTools,
                role.model, role.maxTurns, role.maxBudgetUsd, role.createdAt, role.updatedAt);
    }
}
