package dev.taskq.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

/**
 * What the CLI reads from the world besides its arguments: environment variables, the home directory (for the
 * config file), standard input, the clock and time zone. Tests pass their own; {@link #system()} is the real one.
 */
public record CliEnvironment(Map<String, String> variables, Path home, InputStream stdin, Clock clock, ZoneId zone) {

    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), System.in,
                Clock.systemUTC(), ZoneId.systemDefault());
    }

    /** The variable's value, or null when it is unset or blank. */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
