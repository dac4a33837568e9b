package dev.taskq.worker.domain;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.common.event.TaskDispatch;
import dev.taskq.worker.domain.Dispatches.Session;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionArgvTest {

    private static final CliOptions OPTIONS = new CliOptions("/opt/claude", 50, "bypassPermissions", List.of());

    @Test
    void theArgvAsksForStreamJsonWithTheDispatchedSessionId() {
        TaskDispatch dispatch = aDispatch().maxTurns(7).build();

        assertThat(SessionArgv.of(OPTIONS, dispatch)).containsExactly(
                "/opt/claude", "-p", "say hello", "--output-format", "stream-json", "--verbose",
                "--max-turns", "7", "--session-id", dispatch.sessionId().toString(),
                "--permission-mode", "bypassPermissions");
    }

    @Test
    void theDefaultMaxTurnsAppliesWhenTheDispatchSetsNone() {
        assertThat(SessionArgv.of(OPTIONS, aDispatch().maxTurns(null).build()))
                .containsSubsequence("--max-turns", "50");
    }

    @Test
    void theModelFlagAppearsOnlyWhenTheDispatchNamesAModel() {
        assertThat(SessionArgv.of(OPTIONS, aDispatch().build())).doesNotContain("--model");
        assertThat(SessionArgv.of(OPTIONS, aDispatch().model("claude-sonnet-4-5").build()))
                .containsSubsequence("--model", "claude-sonnet-4-5");
    }

    @Test
    void aPromptWithShellSyntaxStaysOneArgument() {
        String prompt = "clean up $(rm -rf /); echo `id` && exit \"1\"\nsecond line";

        List<String> argv = SessionArgv.of(OPTIONS, aDispatch().prompt(prompt).build());

        assertThat(argv.get(1)).isEqualTo("-p");
        assertThat(argv.get(2)).isEqualTo(prompt);
        assertThat(argv).filteredOn(arg -> arg.contains("rm -rf")).hasSize(1);
    }

    @Test
    void aBlankPermissionModeLeavesTheFlagOutAndExtraArgsComeLast() {
        CliOptions options = new CliOptions("claude", 50, " ", List.of("--mcp-config", "/etc/mcp.json"));

        List<String> argv = SessionArgv.of(options, aDispatch().build());

        assertThat(argv).doesNotContain("--permission-mode");
        assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("--mcp-config", "/etc/mcp.json");
    }

    @Test
    void aTasksSessionSettingsBecomeFlagsBeforeTheWorkersExtraArgs() {
        CliOptions options = new CliOptions("/opt/claude", 50, "bypassPermissions", List.of("--mcp-config", "/etc/mcp.json"));
        TaskDispatch dispatch = aDispatch().maxTurns(7).session(new Session(new BigDecimal("2.50"),
                List.of("Bash(git diff:*)", "Edit"), List.of("WebFetch"), "-- be brief\nand kind", "plan")).build();

        assertThat(SessionArgv.of(options, dispatch)).containsExactly(
                "/opt/claude", "-p", "say hello", "--output-format", "stream-json", "--verbose",
                "--max-turns", "7", "--session-id", dispatch.sessionId().toString(),
                "--permission-mode", "plan",
                "--max-budget-usd", "2.50",
                "--allowedTools", "Bash(git diff:*)", "--allowedTools", "Edit",
                "--disallowedTools", "WebFetch",
                "--append-system-prompt", "-- be brief\nand kind",
                "--mcp-config", "/etc/mcp.json");
    }

    @Test
    void aTaskWithoutAPermissionModeGetsTheWorkersAndOneWithItsOwnOverridesIt() {
        CliOptions blank = new CliOptions("claude", 50, "", List.of());
        TaskDispatch acceptEdits = aDispatch().session(new Session(null, List.of(), List.of(), null, "acceptEdits")).build();

        assertThat(SessionArgv.of(OPTIONS, aDispatch().build())).containsSubsequence("--permission-mode", "bypassPermissions");
        assertThat(SessionArgv.of(OPTIONS, acceptEdits)).containsSubsequence("--permission-mode", "acceptEdits")
                .doesNotContain("bypassPermissions");
        assertThat(SessionArgv.of(blank, acceptEdits)).containsSubsequence("--permission-mode", "acceptEdits");
    }

    @Test
    void unsetSessionSettingsLeaveTheirFlagsOut() {
        assertThat(SessionArgv.of(OPTIONS, aDispatch().build()))
                .doesNotContain("--max-budget-usd", "--allowedTools", "--disallowedTools", "--append-system-prompt");
    }

    @Test
    void aResumeContinuesTheEarlierTranscriptUnderTheAttemptsOwnSessionId() {
        UUID earlier = UUID.randomUUID();
        TaskDispatch dispatch = aDispatch().prompt("carry on").maxTurns(7).resuming(earlier).build();

        // claude 2.1.197 refuses --session-id with --resume unless --fork-session is given too.
        assertThat(SessionArgv.of(OPTIONS, dispatch)).containsExactly(
                "/opt/claude", "-p", "carry on", "--output-format", "stream-json", "--verbose",
                "--max-turns", "7", "--resume", earlier.toString(), "--fork-session",
                "--session-id", dispatch.sessionId().toString(),
                "--permission-mode", "bypassPermissions");
    }

    @Test
    void aFreshSessionNeitherResumesNorForks() {
        assertThat(SessionArgv.of(OPTIONS, aDispatch().build())).doesNotContain("--resume", "--fork-session");
    }

    @Test
    void theWorkersMcpServerComesAfterTheTasksSettingsWithAskHumanAllowedAndBeforeTheExtraArgs() {
        CliOptions options = new CliOptions("/opt/claude", 50, "bypassPermissions", List.of("--debug"));
        TaskDispatch dispatch = aDispatch().session(new Session(null, List.of("Read"), List.of(), "be brief", "dontAsk"))
                .build();
        SessionMcpConfig mcp = new SessionMcpConfig("http://127.0.0.1:8083/session-mcp");

        List<String> argv = SessionArgv.of(options, dispatch, mcp);

        assertThat(argv.subList(argv.size() - 7, argv.size())).containsExactly(
                "--append-system-prompt", "be brief",
                "--allowedTools", "mcp__taskq__AskHuman",
                "--mcp-config", "{\"mcpServers\":{\"taskq\":{\"type\":\"http\",\"url\":\"http://127.0.0.1:8083/session-mcp\","
                        + "\"headers\":{\"Authorization\":\"Bearer ${TASKQ_SESSION_MCP_TOKEN}\"}}}}",
                "--debug");
        assertThat(argv).containsSubsequence("--allowedTools", "Read", "--allowedTools", "mcp__taskq__AskHuman");
    }

    @Test
    void aPermissionModeTheWorkerDoesNotAllowIsRefusedNamingTheSetting() {
        CliOptions strict = new CliOptions("claude", 50, "acceptEdits", List.of(), List.of("default", "acceptEdits"));
        TaskDispatch bypass = aDispatch().session(new Session(null, List.of(), List.of(), null, "bypassPermissions")).build();
        TaskDispatch allowed = aDispatch().session(new Session(null, List.of(), List.of(), null, "default")).build();

        assertThat(SessionArgv.refusedPermissionMode(strict, bypass)).contains("permission mode bypassPermissions is not "
                + "allowed on this worker (taskq.worker.claude.allowed-permission-modes: default,acceptEdits)");
        assertThatThrownBy(() -> SessionArgv.of(strict, bypass)).hasMessageContaining("is not allowed on this worker");
        assertThat(SessionArgv.refusedPermissionMode(strict, allowed)).isEmpty();
        // A task naming no mode gets the worker's own, which is the operator's choice.
        assertThat(SessionArgv.refusedPermissionMode(strict, aDispatch().build())).isEmpty();
        assertThat(SessionArgv.refusedPermissionMode(OPTIONS, bypass)).as("every mode the CLI knows, by default").isEmpty();
    }

    @Test
    void aDispatchWithoutASessionIdIsRejected() {
        TaskDispatch built = aDispatch().build();
        TaskDispatch withoutSession = TaskDispatch.ofClaude(built.taskId(), 1, 5, "default", "p", null, 10, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> SessionArgv.of(OPTIONS, withoutSession)).hasMessageContaining("no session id");
    }
}
