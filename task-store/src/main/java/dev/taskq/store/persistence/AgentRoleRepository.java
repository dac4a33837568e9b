package dev.taskq.store.persistence;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.domain.TaskStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads of agent roles, for the API that manages them and for the release that merges one into a dispatch. */
@ApplicationScoped
public class AgentRoleRepository implements PanacheRepositoryBase<AgentRoleEntity, String> {

    /** The role a task names, as it stands now. */
    public Optional<AgentRole> role(String name) {
        return findByIdOptional(name).map(AgentRoleEntity::toRole);
    }

    /** Every role, by name. */
    public List<AgentRoleEntity> allByName() {
        return list("order by name");
    }

    /** How many unfinished tasks name the role (served by tasks_unfinished_agent_idx). */
    public long unfinishedTasksNaming(String name) {
        List<TaskStatus> unfinished = Arrays.stream(TaskStatus.values()).filter(status -> !status.isTerminal()).toList();
        return getEntityManager()
                .createQuery("select count(t) from TaskEntity t where t.agent = :name and t.status in :unfinished", Long.class)
                .setParameter("name", name)
                .setParameter("unfinished", unfinished)
                .getSingleResult();
    }
}
