package dev.taskq.gateway.domain;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.json.EventJson;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.store.persistence.AgentRoleRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Creates the agent roles defined in configuration ({@code taskq.api.agent-roles.*}) that do not exist yet, when the
 * gateway starts. Insert-if-absent, so several replicas may start at once and an admin's later changes are kept.
 */
@ApplicationScoped
public class ConfiguredAgentRoles {

    private static final Logger LOG = Logger.getLogger(ConfiguredAgentRoles.class);

    private final GatewayConfig config;
    private final AgentRoleRepository roles;

    public ConfiguredAgentRoles(GatewayConfig config, AgentRoleRepository roles) {
        this.config = config;
        this.roles = roles;
    }

    void createMissing(@Observes StartupEvent event) {
        List<AgentRole> configured = toRoles(config.agentRoles());
        if (configured.isEmpty()) {
            return;
        }
        int created = QuarkusTransaction.requiringNew().call(() -> {
            int inserted = 0;
            for (AgentRole role : configured) {
                inserted += roles.getEntityManager().createNativeQuery("""
                        insert into agent_roles (name, description, append_system_prompt, allowed_tools, disallowed_tools,
                                                 model, max_turns, max_budget_usd)
                        values (?1, ?2, ?3, cast(?4 as jsonb), cast(?5 as jsonb), ?6, ?7, ?8)
                        on conflict (name) do nothing""")
                        .setParameter(1, role.name())
                        .setParameter(2, role.description())
                        .setParameter(3, role.appendSystemPrompt())
                        .setParameter(4, EventJson.toJson(role.allowedTools()))
                        .setParameter(5, EventJson.toJson(role.disallowedTools()))
                        .setParameter(6, role.model())
                        .setParameter(7, role.maxTurns())
                        .setParameter(8, role.maxBudgetUsd())
                        .executeUpdate();
            }
            return inserted;
        });
        LOG.infof("Agent roles from configuration: %d configured, %d created (the others exist already)", configured.size(), created);
    }

    /**
     * The configured roles in name order; a role that breaks the rules an API request is held to stops the gateway with
     * a message naming its setting.
     */
    static List<AgentRole> toRoles(Map<String, GatewayConfig.ConfiguredAgentRole> configured) {
        List<AgentRole> result = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        new TreeMap<>(configured).forEach((name, settings) -> {
            String key = "taskq.api.agent-roles." + name;
            if (!name.matches(AgentRole.NAME_PATTERN)) {
                problems.add(key + ": the name must match " + AgentRole.NAME_PATTERN);
            }
            if (settings.description().isBlank()) {
                problems.add(key + ".description: must not be blank");
            }
            if (settings.maxTurns().filter(turns -> turns < 1).isPresent()) {
                problems.add(key + ".max-turns: must be at least 1");
            }
            if (settings.maxBudgetUsd().filter(budget -> budget.compareTo(BigDecimal.ZERO) <= 0).isPresent()) {
                problems.add(key + ".max-budget-usd: must be more than 0");
            }
            result.add(new AgentRole(name, settings.description(), settings.appendSystemPrompt().orElse(null),
                    settings.allowedTools().orElse(List.of()), settings.disallowedTools().orElse(List.of()),
                    settings.model().orElse(null), settings.maxTurns().orElse(null), settings.maxBudgetUsd().orElse(null)));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid agent roles in configuration: " + String.join("; ", problems));
        }
        return result;
    }
}
