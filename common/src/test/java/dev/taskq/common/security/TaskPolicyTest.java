package dev.taskq.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskPolicyTest {

    private final TaskPolicy policy = new TaskPolicy(List.of("claude-sonnet-4-5"), TaskPolicy.compile(List.of("(?i)rm -rf /")),
            List.of("GitHub.com"), 20, 3600, new BigDecimal("5"));

    @Test
    void aRequestWithinEveryRulePasses() {
        assertThat(policy.check(new TaskPolicy.Request("fix the build", "claude-sonnet-4-5", 20, 3600, new BigDecimal("5"),
                "https://github.com/acme/app.git"))).isEmpty();
        assertThat(policy.check(new TaskPolicy.Request("p", null, null, null, null, null))).isEmpty();
    }

    @Test
    void eachBrokenRuleIsNamedWithItsField() {
        List<TaskPolicy.Violation> violations = policy.check(new TaskPolicy.Request("please RM -RF / now", "claude-opus-4", 21,
                3601, new BigDecimal("5.01"), "ssh://git@10.0.0.5/repo.git"));
        assertThat(violations).extracting(TaskPolicy.Violation::rule).containsExactly(TaskPolicy.ALLOWED_MODELS,
                TaskPolicy.BLOCKED_PATTERNS, TaskPolicy.ALLOWED_REPO_HOSTS, TaskPolicy.MAX_TURNS, TaskPolicy.MAX_TIMEOUT,
                TaskPolicy.MAX_BUDGET);
        assertThat(violations).extracting(TaskPolicy.Violation::field).containsExactly("model", "prompt", "repo.url",
                "maxTurns", "timeoutSeconds", "maxBudgetUsd");
        assertThat(violations.get(2).message()).contains("10.0.0.5");
    }

    @Test
    void aLocalRepositoryIsRefusedWhenHostsAreListed() {
        assertThat(policy.check(new TaskPolicy.Request("p", null, null, null, null, "file:///srv/repo")))
                .extracting(TaskPolicy.Violation::rule).containsExactly(TaskPolicy.ALLOWED_REPO_HOSTS);
    }

    @Test
    void theOpenPolicyAllowsEverything() {
        assertThat(TaskPolicy.OPEN.check(new TaskPolicy.Request("rm -rf /", "any", 1000, 999999, new BigDecimal("1000"),
                "file:///etc"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "https://github.com/acme/app.git, github.com",
            "https://user:secret@GitHub.com:443/acme/app, github.com",
            "ssh://git@gitlab.example.org:2222/acme/app.git, gitlab.example.org",
            "git@github.com:acme/app.git, github.com",
            "file:///srv/repo, ''",
            "/srv/repo, ''",
            "relative/path:with-colon, ''",
            "'https://bad host/x', ''"})
    void theHostOfARepositoryUrl(String url, String host) {
        assertThat(TaskPolicy.repoHost(url)).isEqualTo(host);
    }

    @Test
    void aBlockedPatternThatIsNotARegexIsNamed() {
        assertThatThrownBy(() -> TaskPolicy.compile(List.of("([")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("([");
    }
}
