package dev.taskq.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.gateway.config.GatewayConfig;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfiguredAgentRolesTest {

    @Test
    void aConfiguredRoleBecomesAnAgentRoleWithWhatItLeavesOutEmpty() {
        List<AgentRole> roles = ConfiguredAgentRoles.toRoles(Map.of(
                "triage", role("Sorts incoming issues", List.of("Read"), 5, null),
                "auditor", role("Reads the code for risks", List.of(), null, new BigDecimal("0.5"))));

        assertThat(roles).containsExactly(
                new AgentRole("auditor", "Reads the code for risks", null, List.of(), List.of(), null, null, new BigDecimal("0.5")),
                new AgentRole("triage", "Sorts incoming issues", null, List.of("Read"), List.of(), null, 5, null));
    }

    @Test
    void anInvalidConfiguredRoleStopsTheGatewayNamingEachSetting() {
        assertThatThrownBy(() -> ConfiguredAgentRoles.toRoles(Map.of(
                "Bad Name", role("x", List.of(), null, null),
                "empty", role(" ", List.of(), 0, BigDecimal.ZERO))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taskq.api.agent-roles.Bad Name: the name must match")
                .hasMessageContaining("taskq.api.agent-roles.empty.description: must not be blank")
                .hasMessageContaining("taskq.api.agent-roles.empty.max-turns: must be at least 1")
                .hasMessageContaining("taskq.api.agent-roles.empty.max-budget-usd: must be more than 0");
    }

    private static GatewayConfig.ConfiguredAgentRole role(String description, List<String> allowedTools, Integer maxTurns,
                                                          BigDecimal maxBudgetUsd) {
        return new GatewayConfig.ConfiguredAgentRole() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Optional<String> appendSystemPrompt() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> allowedTools() {
                return allowedTools.isEmpty() ? Optional.empty() : Optional.of(allowedTools);
            }

            @Override
            public Optional<List<String>> disallowedTools() {
                return Optional.empty();
            }

            @Override
            public Optional<String> model() {
                return Optional.empty();
            }

            @Override
            public Optional<Integer> maxTurns() {
                return Optional.ofNullable(maxTurns);
            }

            @Override
            public Optional<BigDecimal> maxBudgetUsd() {
                return Optional.ofNullable(maxBudgetUsd);
            }
        };
    }
}
