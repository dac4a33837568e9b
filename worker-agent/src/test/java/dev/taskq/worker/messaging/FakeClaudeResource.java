package dev.taskq.worker.messaging;

import dev.taskq.testsupport.FakeClaude;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Points the worker at the fake claude, installed in a temp directory. */
public class FakeClaudeResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("taskq-fake-claude-");
            Path workRoot = Files.createTempDirectory("taskq-work-");
            return Map.of(
                    "taskq.worker.claude.executable", FakeClaude.install(dir).toString(),
                    "taskq.worker.work-root", workRoot.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
