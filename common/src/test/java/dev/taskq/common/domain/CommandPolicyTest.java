package dev.taskq.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandPolicyTest {

    private final CommandPolicy policy = new CommandPolicy(true,
            Map.of("default", List.of("npm", " git ", "/usr/bin/make", "")), Set.of("trusted"), "taskq.x.command-tasks");

    @Test
    void aBareNameOrAnAbsolutePathOnThePoolsListMayRun() {
        assertThat(policy.refusal("default", List.of("npm", "test"), false)).isEmpty();
        assertThat(policy.refusal("default", List.of("git", "status"), false)).isEmpty();
        assertThat(policy.refusal("default", List.of("/usr/bin/make", "all"), false)).isEmpty();
    }

    @Test
    void anythingElseIsRefusedNamingTheFieldAndTheRule() {
        assertThat(policy.refusal("default", List.of("make"), false)).hasValueSatisfying(refusal -> {
            assertThat(refusal.field()).isEqualTo("command[0]");
            assertThat(refusal.rule()).isEqualTo("taskq.x.command-tasks.allowed-executables.default");
            assertThat(refusal.message()).contains("'make'", "npm, git, /usr/bin/make");
        });
        assertThat(policy.refusal("default", List.of("/usr/local/bin/npm"), false)).isPresent();
        assertThat(policy.refusal("default", List.of("bin/npm"), false)).hasValueSatisfying(refusal ->
                assertThat(refusal.message()).contains("bare executable name"));
        assertThat(policy.refusal("default", List.of(".."), false)).isPresent();
        assertThat(policy.refusal("gpu", List.of("npm"), false)).hasValueSatisfying(refusal ->
                assertThat(refusal.message()).contains("allowed: none"));
    }

    @Test
    void aShellStringRunsOnlyInAShellPoolAndNothingRunsWhenTurnedOff() {
        assertThat(policy.refusal("trusted", List.of("rm -rf build && npm ci"), true)).isEmpty();
        assertThat(policy.refusal("default", List.of("npm test"), true)).hasValueSatisfying(refusal -> {
            assertThat(refusal.field()).isEqualTo("shell");
            assertThat(refusal.rule()).isEqualTo("taskq.x.command-tasks.shell-pools");
        });
        CommandPolicy off = new CommandPolicy(false, Map.of("default", List.of("npm")), Set.of("default"), "taskq.x.command-tasks");
        assertThat(off.refusal("default", List.of("npm"), false)).hasValueSatisfying(refusal -> {
            assertThat(refusal.field()).isEqualTo("kind");
            assertThat(refusal.rule()).isEqualTo("taskq.x.command-tasks.enabled");
        });
    }
}
