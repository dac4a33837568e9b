package dev.taskq.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.worker.config.WorkerConfig;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {

    private static final CliOptions BYPASS = new CliOptions("claude", 50, "bypassPermissions", List.of());
    private static final CliOptions PLAN = new CliOptions("claude", 50, "plan", List.of());
    private static final Map<String, String> WORKER_ENV = Map.of(
            "PATH", "/usr/bin",
            "HOME", "/home/worker",
            "ANTHROPIC_API_KEY", "sk-secret",
            "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
            "KAFKA_SASL_PASSWORD", "kafka-secret",
            "DB_PASSWORD", "db-secret",
            "CLAUDECODE", "1",
            "CLAUDE_CODE_ENTRYPOINT", "cli");
    private static final List<String> ALLOWLIST =
            List.of("PATH", "HOME", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT");

    @Test
    void onlyAllowlistedVariablesOfTheWorkerReachTheSession() {
        Map<String, String> env = ChildEnvironment.of(WORKER_ENV, ALLOWLIST, Map.of(), false, BYPASS);

        assertThat(env).containsOnly(
                Map.entry("PATH", "/usr/bin"),
                Map.entry("HOME", "/home/worker"),
                Map.entry("ANTHROPIC_API_KEY", "sk-secret"));
    }

    @Test
    void theDefaultAllowlistPassesNoCredentialButTheApisOwn() throws NoSuchMethodException {
        // A guard on the shipped default: widening it (a cloud key, a git token, taskq's own tokens) must be a decision.
        String allowlist = WorkerConfig.Claude.class.getMethod("envAllowlist").getAnnotation(WithDefault.class).value();
        assertThat(List.of(allowlist.split(","))).containsExactlyInAnyOrder("PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM",
                "TMPDIR", "TZ", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL");
        Map<String, String> worker = Map.of("PATH", "/usr/bin", "TASKQ_API_TOKENS", "t", "TASKQ_API_KEY_PEPPER", "p",
                "AWS_SECRET_ACCESS_KEY", "a", "GITHUB_TOKEN", "g", "KAFKA_SASL_JAAS_CONFIG", "k");
        assertThat(ChildEnvironment.of(worker, List.of(allowlist.split(",")), Map.of(), false, BYPASS))
                .containsOnly(Map.entry("PATH", "/usr/bin"));
    }

    @Test
    void claudeSessionMarkersAreStrippedEvenWhenAllowlisted() {
        Map<String, String> env = ChildEnvironment.of(WORKER_ENV, ALLOWLIST, Map.of(), false, BYPASS);

        assertThat(env).doesNotContainKeys("CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT");
    }

    @Test
    void theWorkersKafkaAndDatabaseCredentialsNeverReachTheSession() {
        Map<String, String> env = ChildEnvironment.of(WORKER_ENV, ALLOWLIST, Map.of(), true, BYPASS);

        assertThat(env.keySet()).noneMatch(name -> name.startsWith("KAFKA_") || name.startsWith("DB_"));
        assertThat(env.values()).doesNotContain("kafka-secret", "db-secret");
    }

    @Test
    void extraEnvIsSetAsGivenAndWinsOverTheInheritedValue() {
        Map<String, String> env = ChildEnvironment.of(WORKER_ENV, ALLOWLIST,
                Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:4000", "HOME", "/srv/sessions"), false, BYPASS);

        assertThat(env).containsEntry("ANTHROPIC_BASE_URL", "http://127.0.0.1:4000").containsEntry("HOME", "/srv/sessions");
    }

    @Test
    void aRootWorkerBypassingPermissionsMarksTheSessionAsSandboxed() {
        assertThat(ChildEnvironment.of(WORKER_ENV, ALLOWLIST, Map.of(), true, BYPASS)).containsEntry("IS_SANDBOX", "1");
    }

    @Test
    void theSandboxMarkIsAddedOnlyForRootAndBypassPermissions() {
        assertThat(ChildEnvironment.of(WORKER_ENV, ALLOWLIST, Map.of(), false, BYPASS)).doesNotContainKey("IS_SANDBOX");
        assertThat(ChildEnvironment.of(WORKER_ENV, ALLOWLIST, Map.of(), true, PLAN)).doesNotContainKey("IS_SANDBOX");
    }

    @Test
    void anInheritedSandboxMarkIsNotPassedUnlessAllowlisted() {
        Map<String, String> env = ChildEnvironment.of(Map.of("IS_SANDBOX", "1"), ALLOWLIST, Map.of(), false, BYPASS);

        assertThat(env).doesNotContainKey("IS_SANDBOX");
    }
}
