package dev.taskq.store.persistence;

import dev.taskq.common.domain.AgentRole;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An agent role row: the session settings a claude task naming it takes on at release. */
@Entity
@Table(name = "agent_roles")
public class AgentRoleEntity {

    @Id
    public String name;

    @Column(nullable = false)
    public String description;

    @Column(name = "append_system_prompt")
    public String appendSystemPrompt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_tools", nullable = false)
    public List<String> allowedTools = List.of();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "disallowed_tools", nullable = false)
    public List<String> disallowedTools = List.of();

    public String model;

    @Column(name = "max_turns")
    public Integer maxTurns;

    @Column(name = "max_budget_usd")
    public BigDecimal maxBudgetUsd;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public AgentRole toRole() {
        return new AgentRole(name, description, appendSystemPrompt, allowedTools, disallowedTools, model, maxTurns, maxBudgetUsd);
    }

    /** Takes every setting of {@code role} (not its name). */
    public void apply(AgentRole role) {
        description = role.description();
        appendSystemPrompt = role.appendSystemPrompt();
        allowedTools = role.allowedTools();
        disallowedTools = role.disallowedTools();
        model = role.model();
        maxTurns = role.maxTurns();
        maxBudgetUsd = role.maxBudgetUsd();
    }
}
