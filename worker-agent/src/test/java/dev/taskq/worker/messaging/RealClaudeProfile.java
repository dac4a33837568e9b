package dev.taskq.worker.messaging;

import dev.taskq.testsupport.AnthropicStandIn;
import dev.taskq.testsupport.AnthropicStandIn.Script;
import dev.taskq.testsupport.ClaudeBinary;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the worker with the real claude binary, talking to a loopback stand-in of the Anthropic API. */
public class RealClaudeProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StandInResource.class));
    }

    /** Starts the stand-in and passes its URL (and a throwaway HOME and key) through the worker's extra-env. */
    public static class StandInResource implements QuarkusTestResourceLifecycleManager {

        private AnthropicStandIn standIn;

        @Override
        public Map<String, String> start() {
            standIn = AnthropicStandIn.start(Script.bashThenText("echo hello", "done"));
            try {
                Path home = Files.createTempDirectory("taskq-claude-home-");
                Path workRoot = Files.createTempDirectory("taskq-work-");
                return Map.of(
                        "taskq.worker.claude.executable",
                        ClaudeBinary.locate().map(Path::toString).orElse("claude-not-installed"),
                        "taskq.worker.work-root", workRoot.toString(),
                        "taskq.worker.claude.extra-env.ANTHROPIC_BASE_URL", standIn.baseUrl(),
                        "taskq.worker.claude.extra-env.ANTHROPIC_API_KEY", "sk-ant-test-dummy",
                        "taskq.worker.claude.extra-env.HOME", home.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            if (standIn != null) {
                standIn.close();
            }
        }
    }
}
