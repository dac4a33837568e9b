package dev.taskq.gateway.domain;

import dev.taskq.common.security.TaskPolicy;
import dev.taskq.gateway.config.TaskPolicyConfig;
import dev.taskq.store.lifecycle.NewTask;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The configured task policy, one per role (the role's own limits on top of the shared rules). */
// Built at startup, so a blocked pattern that is not a regex stops the gateway instead of failing submissions.
@Startup
@Singleton
public class TaskPolicies {

    private final Map<Role, TaskPolicy> byRole = new EnumMap<>(Role.class);

    public TaskPolicies(TaskPolicyConfig config) {
        List<Pattern> blocked = TaskPolicy.compile(config.blockedPatterns().orElse(List.of()));
        for (Role role : Role.values()) {
            TaskPolicyConfig.RoleLimits limits = config.roles().get(role.wire());
            byRole.put(role, new TaskPolicy(config.allowedModels().orElse(List.of()), blocked,
                    config.allowedRepoHosts().orElse(List.of()),
                    limits == null ? null : limits.maxTurns().orElse(null),
                    limits == null ? null : limits.maxTimeoutSeconds().orElse(null),
                    limits == null ? null : limits.maxBudgetUsd().orElse(null)));
        }
    }

    /** The rules {@code task} breaks for a caller with {@code role}. */
    public List<TaskPolicy.Violation> check(Role role, NewTask task) {
        return byRole.get(role).check(new TaskPolicy.Request(task.prompt(), task.model(), task.maxTurns(), task.timeoutSeconds(),
                task.maxBudgetUsd(), task.repo() == null ? null : task.repo().url()));
    }
}
