package dev.taskq.gateway.domain;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.store.persistence.AgentRoleEntity;
import dev.taskq.store.persistence.AgentRoleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The gateway's writes of agent roles: create or replace one, delete one nobody waits on. */
@ApplicationScoped
public class AgentRoleCommands {

    /** What a PUT did: created the role, or replaced the one there was. */
    public record Saved(AgentRoleEntity role, boolean created) {}

    private final AgentRoleRepository roles;

    public AgentRoleCommands(AgentRoleRepository roles) {
        this.roles = roles;
    }

    /**
     * Creates the role or replaces every setting of the one of that name. Tasks already released keep the settings
     * they were dispatched with; tasks still waiting take the new ones when they are released.
     */
    @Transactional
    public Saved put(AgentRole role) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        AgentRoleEntity entity = roles.findById(role.name(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        boolean created = entity == null;
        if (created) {
            entity = new AgentRoleEntity();
            entity.name = role.name();
            entity.createdAt = now;
        }
        entity.apply(role);
        entity.updatedAt = now;
        if (created) {
            roles.persist(entity);
        }
        return new Saved(entity, created);
    }

    /** Deletes the role; refused while unfinished tasks name it. */
    @Transactional
    public void delete(String name) {
        AgentRoleEntity entity = roles.findById(name, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (entity == null) {
            throw new AgentRoleNotFoundException(name);
        }
        long naming = roles.unfinishedTasksNaming(name);
        if (naming > 0) {
            throw new AgentRoleInUseException(name, naming);
        }
        roles.delete(entity);
    }
}
