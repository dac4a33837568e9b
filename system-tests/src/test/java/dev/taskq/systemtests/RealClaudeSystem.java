package dev.taskq.systemtests;

import dev.taskq.testsupport.AnthropicStandIn;
import dev.taskq.testsupport.ClaudeBinary;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole system whose workers run the real {@code claude} binary against a local stand-in of the Messages API
 * answering by {@code script}: what the end-to-end test classes start once and close after their tests.
 */
record RealClaudeSystem(AnthropicStandIn anthropic, RunningStack stack) implements AutoCloseable {

    static RealClaudeSystem start(AnthropicStandIn.Script script, int workers, int slots) throws Exception {
        return start(script, workers, slots, Map.of());
    }

    /** {@link #start(AnthropicStandIn.Script, int, int)} with settings given to every service. */
    static RealClaudeSystem start(AnthropicStandIn.Script script, int workers, int slots, Map<String, String> serviceProperties)
            throws Exception {
        Path claude = ClaudeBinary.locate().orElseThrow(() -> new IllegalStateException(
                "the real claude CLI is required: run scripts/install-claude.sh or set TASKQ_CLAUDE_BIN"));
        AnthropicStandIn anthropic = AnthropicStandIn.start(script);
        try {
            return new RealClaudeSystem(anthropic, RunningStack.start(claude, anthropic, workers, slots, Map.of(), false, serviceProperties));
        } catch (Exception e) {
            anthropic.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stack.close();
        } finally {
            anthropic.close();
        }
    }
}
