package dev.taskq.cli.config;

import dev.taskq.cli.CliEnvironment;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the API is and the token to present, each taken from the first place that sets it: the flag
 * ({@code --server}, {@code --token}), the environment ({@code TASKQ_SERVER}, {@code TASKQ_TOKEN}), then the config
 * file ({@code $TASKQ_CONFIG}, else {@code ~/.config/taskq/config.properties} with keys {@code server} and
 * {@code token}). The server defaults to {@value #DEFAULT_SERVER}; without a token requests go unauthenticated.
 * {@code claudeSession} is the Claude Code session the CLI runs in ({@code CLAUDE_CODE_SESSION_ID}, which Claude Code
 * sets for the commands its tools run), null outside one: what the CLI submits then records that session, as what the
 * session delegates through MCP does.
 */
public record ConnectionSettings(URI server, String token, String claudeSession) {

    public static final String DEFAULT_SERVER = "http://localhost:8080";
    public static final String SERVER_VARIABLE = "TASKQ_SERVER";
    public static final String TOKEN_VARIABLE = "TASKQ_TOKEN";
    public static final String CONFIG_VARIABLE = "TASKQ_CONFIG";
    public static final String CLAUDE_SESSION_VARIABLE = "CLAUDE_CODE_SESSION_ID";

    /** Settings outside a Claude Code session. */
    public ConnectionSettings(URI server, String token) {
        this(server, token, null);
    }

    public static ConnectionSettings resolve(String serverFlag, String tokenFlag, CliEnvironment environment) {
        Properties file = configFile(environment);
        String server = firstSet(serverFlag, environment.variable(SERVER_VARIABLE), file.getProperty("server"), DEFAULT_SERVER);
        String token = firstSet(tokenFlag, environment.variable(TOKEN_VARIABLE), file.getProperty("token"), null);
        return new ConnectionSettings(serverUri(server), token, firstSet(environment.variable(CLAUDE_SESSION_VARIABLE)));
    }

    /** The config file to read: {@code $TASKQ_CONFIG} (which must exist), else the default one if it exists. */
    static Path configPath(CliEnvironment environment) {
        String named = environment.variable(CONFIG_VARIABLE);
        if (named != null) {
            return Path.of(named);
        }
        String xdg = environment.variable("XDG_CONFIG_HOME");
        Path base = xdg != null ? Path.of(xdg) : environment.home().resolve(".config");
        return base.resolve("taskq").resolve("config.properties");
    }

    private static Properties configFile(CliEnvironment environment) {
        Path path = configPath(environment);
        Properties properties = new Properties();
        if (!Files.exists(path)) {
            if (environment.variable(CONFIG_VARIABLE) != null) {
                throw new ConfigException(CONFIG_VARIABLE + " names " + path + ", which does not exist");
            }
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read the config file " + path + ": " + e.getMessage());
        }
        return properties;
    }

    private static URI serverUri(String server) {
        String trimmed = server.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("the server URL '" + server + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ConfigException("the server URL '" + server + "' must look like http://host:port");
        }
        return uri;
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        // Records print every component; the token must never reach a log or an error message.
        return "ConnectionSettings[server=" + server + ", token=" + (token == null ? "none" : "***")
                + ", claudeSession=" + claudeSession + "]";
    }

    /** The server, token or config file cannot be used as given: a usage error. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
