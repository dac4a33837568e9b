package dev.taskq.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.domain.DefaultAgentRoles;
import dev.taskq.common.domain.TaskKind;
import dev.taskq.common.json.EventJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskDispatchTest {

    @Test
    void aDispatchWrittenBeforeKindsExistedReadsAsAClaudeTaskWithoutCommand() {
        String older = """
                {"taskId":"%s","attempt":1,"priority":5,"pool":"default","prompt":"say hello","timeoutSeconds":60,
                 "sessionId":"%s","metadata":{}}""".formatted(UUID.randomUUID(), UUID.randomUUID());

        TaskDispatch dispatch = EventJson.fromBytes(older.getBytes(StandardCharsets.UTF_8), TaskDispatch.class);

        assertThat(dispatch.kind()).isEqualTo(TaskKind.CLAUDE);
        assertThat(dispatch.runsCommand()).isFalse();
        assertThat(dispatch.command()).isEmpty();
        assertThat(dispatch.shell()).isFalse();
        assertThat(dispatch.agent()).isNull();
    }

    @Test
    void aCommandDispatchSurvivesItsJson() {
        TaskDispatch command = new TaskDispatch(UUID.randomUUID(), 1, 5, "default", "npm test", null, 60, null, null,
                UUID.randomUUID(), Map.of(), Instant.now(), Instant.now(), null, null, null, List.of(), List.of(), null, null,
                null, null, UUID.randomUUID(), TaskKind.COMMAND, List.of("npm", "test"), false, null);

        TaskDispatch read = EventJson.fromBytes(EventJson.toBytes(command), TaskDispatch.class);

        assertThat(read).isEqualTo(command);
        assertThat(read.runsCommand()).isTrue();
    }

    @Test
    void aRoleFillsWhatTheTaskLeavesUnsetAndItsSystemPromptAdditionComesFirst() {
        AgentRole reviewer = DefaultAgentRoles.REVIEWER;
        TaskDispatch bare = claude(null, null, null, List.of(), null);
        TaskDispatch own = claude(3, "haiku", new BigDecimal("0.5"), List.of("Read"), "Check the SQL.");

        TaskDispatch asRole = bare.withAgentRole(reviewer);
        TaskDispatch withOwn = own.withAgentRole(reviewer);

        assertThat(asRole.agent()).isEqualTo("reviewer");
        assertThat(asRole.maxTurns()).isEqualTo(reviewer.maxTurns());
        assertThat(asRole.model()).isEqualTo(reviewer.model());
        assertThat(asRole.maxBudgetUsd()).isEqualTo(reviewer.maxBudgetUsd());
        assertThat(asRole.allowedTools()).isEqualTo(reviewer.allowedTools());
        assertThat(asRole.disallowedTools()).isEqualTo(reviewer.disallowedTools());
        assertThat(asRole.appendSystemPrompt()).isEqualTo(reviewer.appendSystemPrompt());
        assertThat(withOwn.maxTurns()).isEqualTo(3);
        assertThat(withOwn.model()).isEqualTo("haiku");
        assertThat(withOwn.maxBudgetUsd()).isEqualTo(new BigDecimal("0.5"));
        assertThat(withOwn.allowedTools()).containsExactly("Read");
        assertThat(withOwn.disallowedTools()).isEqualTo(reviewer.disallowedTools());
        assertThat(withOwn.appendSystemPrompt()).isEqualTo(reviewer.appendSystemPrompt() + "\n\nCheck the SQL.");
    }

    private static TaskDispatch claude(Integer maxTurns, String model, BigDecimal budget, List<String> allowed, String appended) {
        return TaskDispatch.ofClaude(UUID.randomUUID(), 1, 5, "default", "p", null, 60, maxTurns, model, UUID.randomUUID(),
                Map.of(), null, null, null, null, budget, allowed, List.of(), appended, null, null, null, null);
    }
}
