package dev.taskq.worker.messaging;

import dev.taskq.testsupport.AnthropicStandIn;
import dev.taskq.testsupport.AnthropicStandIn.Reply;
import dev.taskq.testsupport.AnthropicStandIn.Script;
import dev.taskq.testsupport.ClaudeBinary;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/** Runs the worker with the real claude binary, talking to a loopback stand-in of the Anthropic API. */
public class RealClaudeProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StandInResource.class));
    }

    /**
     * What a test can look at: the stand-in (the requests the CLI sent), the sessions' HOME (their transcripts) and
     * a file where every CLI run appends its argv, one line per run. Injected into a test's field of this type.
     */
    public record RealClaude(AnthropicStandIn standIn, Path home, Path argvLog) {}

    /** In a prompt: the stand-in's model asks a human {@link #QUESTION} through the worker's AskHuman tool. */
    public static final String ASK_HUMAN_MARKER = "[ask-human]";
    /** In the message resuming such a session: the answer has come. */
    public static final String ANSWER_MARKER = "[answer]";
    public static final String QUESTION = "Which database should the service use, Postgres or MySQL?";

    /**
     * Starts the stand-in and passes its URL (and a throwaway HOME and key) through the worker's extra-env. The
     * worker runs the real binary through a wrapper that logs its argv.
     */
    public static class StandInResource implements QuarkusTestResourceLifecycleManager {

        private AnthropicStandIn standIn;
        private RealClaude realClaude;

        @Override
        public Map<String, String> start() {
            standIn = AnthropicStandIn.start(script());
            try {
                Path home = Files.createTempDirectory("taskq-claude-home-");
                Path workRoot = Files.createTempDirectory("taskq-work-");
                Path argvLog = home.resolve("claude-argv.log");
                String binary = ClaudeBinary.locate().map(Path::toString).orElse("claude-not-installed");
                realClaude = new RealClaude(standIn, home, argvLog);
                return Map.of(
                        "taskq.worker.claude.executable", loggingWrapper(home.resolve("bin"), binary, argvLog).toString(),
                        "taskq.worker.work-root", workRoot.toString(),
                        "taskq.worker.claude.extra-env.ANTHROPIC_BASE_URL", standIn.baseUrl(),
                        "taskq.worker.claude.extra-env.ANTHROPIC_API_KEY", "sk-ant-test-dummy",
                        "taskq.worker.claude.extra-env.HOME", home.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(realClaude, new TestInjector.MatchesType(RealClaude.class));
        }

        @Override
        public void stop() {
            if (standIn != null) {
                standIn.close();
            }
        }

        /**
         * A conversation whose prompt holds {@link #ASK_HUMAN_MARKER} asks a human through the worker's tool, ends its
         * turn, and once resumed with a message holding {@link #ANSWER_MARKER} says it carries on; any other runs
         * {@code echo hello} with Bash and says "done".
         */
        private static Script script() {
            Script bash = Script.bashThenText("echo hello", "done");
            return turn -> {
                if (!turn.firstText().contains(ASK_HUMAN_MARKER)) {
                    return bash.reply(turn);
                }
                if (turn.lastText().contains(ANSWER_MARKER)) {
                    return Reply.text("Thanks, carrying on with the answer.");
                }
                return turn.afterToolResult()
                        ? Reply.text("I asked a human and will wait for the answer.")
                        : Reply.toolUse("I need a decision first.", "mcp__taskq__AskHuman", Map.of("question", QUESTION));
            };
        }

        /** exec keeps the CLI the worker's direct child, as without the wrapper. */
        private static Path loggingWrapper(Path dir, String binary, Path argvLog) throws IOException {
            Files.createDirectories(dir);
            Path wrapper = dir.resolve("claude");
            Files.writeString(wrapper, """
                    #!/bin/sh
                    printf '%%s\\n' "$*" >> '%s'
                    exec '%s' "$@"
                    """.formatted(argvLog, binary));
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            return wrapper;
        }
    }
}
