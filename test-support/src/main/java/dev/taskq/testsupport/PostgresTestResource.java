package dev.taskq.testsupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fresh database {@code taskq_test_<8 hex>} per test JVM on the Postgres server named by {@code DB_URL},
 * dropped when the JVM exits.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    // Quarkus may load this class in several class loaders within one JVM: share state via system properties.
    private static final String URL_PROPERTY = "taskq.test.postgres.jdbc-url";

    @Override
    public Map<String, String> start() {
        ensureStarted();
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", username(),
                "quarkus.datasource.password", password());
    }

    @Override
    public void stop() {
        // The database outlives each test class; a shutdown hook drops it when the JVM exits.
    }

    /** Creates this JVM's test database unless it exists already. */
    public static void ensureStarted() {
        synchronized (System.getProperties()) {
            if (System.getProperty(URL_PROPERTY) != null) {
                return;
            }
            String serverUrl = serverUrl();
            String database = "taskq_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            execute(serverUrl, "CREATE DATABASE " + database);
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> execute(serverUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"),
                    "postgres-test-database-drop"));
            System.setProperty(URL_PROPERTY, withDatabase(serverUrl, database));
        }
    }

    /** The JDBC URL of this JVM's test database. */
    public static String jdbcUrl() {
        ensureStarted();
        return System.getProperty(URL_PROPERTY);
    }

    public static String username() {
        return env("DB_USER", "postgres");
    }

    public static String password() {
        return env("DB_PASSWORD", "");
    }

    /** Opens a plain JDBC connection to this JVM's test database. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username(), password());
    }

    static String serverUrl() {
        return env("DB_URL", DEFAULT_SERVER_URL);
    }

    /** Replaces the database in a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String withDatabase(String jdbcUrl, String database) {
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("Not a JDBC URL: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return "jdbc:" + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database + query;
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, username(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Postgres at " + url + " refused `" + sql + "`: " + e.getMessage()
                    + " (is it running? scripts/ensure-postgres.sh starts one)", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Objects.requireNonNull(fallback) : value;
    }
}
