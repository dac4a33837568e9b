package dev.taskq.gateway.config;

import io.smallrye.config.ConfigMapping;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The task policy under {@code taskq.api.policy}: checked at every submission, a violation is a 422 naming the rule. */
@ConfigMapping(prefix = "taskq.api.policy")
public interface TaskPolicyConfig {

    /** Models a task may name (exactly as the CLI takes them); unset allows any. */
    Optional<List<String>> allowedModels();

    /** Regular expressions no prompt may contain (found anywhere in it); unset blocks none. */
    Optional<List<String>> blockedPatterns();

    /** Hosts a task's repo.url may be on (e.g. github.com); unset allows any host the workspace rules allow. */
    Optional<List<String>> allowedRepoHosts();

    /** Limits per role (admin, submitter), e.g. {@code taskq.api.policy.roles.submitter.max-turns=50}. */
    Map<String, RoleLimits> roles();

    /** The most a task of a key with this role may ask for; unset is no limit beyond the submission limits. */
    interface RoleLimits {

        /** The longest timeoutSeconds. */
        Optional<Integer> maxTimeoutSeconds();

        /** The most maxTurns. */
        Optional<Integer> maxTurns();

        /** The largest maxBudgetUsd. */
        Optional<BigDecimal> maxBudgetUsd();
    }
}
