package dev.taskq.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** One in-process run of the CLI in a test: its environment, what it printed and its exit code. */
public record CliRun(int exitCode, String out, String err) {

    public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** An environment with only {@code variables} set, a home without a config file, and a fixed clock in UTC. */
    public static CliEnvironment environment(Map<String, String> variables, Path home, String stdin) {
        return new CliEnvironment(variables, home, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Clock.fixed(NOW, ZoneOffset.UTC), ZoneId.of("UTC"));
    }

    public static CliRun run(CliEnvironment environment, String... args) {
        TaskqCli.Captured run = TaskqCli.runCaptured(environment, args);
        return new CliRun(run.exitCode(), run.out(), run.err());
    }
}
