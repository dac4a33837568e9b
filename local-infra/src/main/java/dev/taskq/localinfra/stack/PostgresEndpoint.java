package dev.taskq.localinfra.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real Postgres for the local stack: the server on 127.0.0.1:5432 when one answers there, otherwise an
 * embedded server (zonky) whose data lives in the stack's state directory.
 */
final class PostgresEndpoint implements AutoCloseable {

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path embeddedDataDir;
    private EmbeddedPostgres embedded;

    private PostgresEndpoint(
            String host, int port, String user, String password, EmbeddedPostgres embedded, Path embeddedDataDir) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.embeddedDataDir = embeddedDataDir;
    }

    static PostgresEndpoint reachableOrEmbedded(String host, int port, String user, String password, Path embeddedDataDir)
            throws IOException {
        if (accepts(host, port)) {
            return new PostgresEndpoint(host, port, user, password, null, null);
        }
        return embedded(embeddedDataDir);
    }

    /** An embedded server of the caller's own, in {@code dataDir}, on a free port. */
    static PostgresEndpoint embedded(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres embedded = startEmbedded(dataDir, 0);
        return new PostgresEndpoint("127.0.0.1", embedded.getPort(), "postgres", "", embedded, dataDir);
    }

    /** Stops the embedded server as a crash or a maintenance stop would: clients lose their connections. */
    synchronized void stop() throws IOException {
        requireEmbedded();
        embedded.close();
        embedded = null;
    }

    /** Starts the embedded server again on the same port with the same data. */
    synchronized void start() throws IOException {
        requireEmbedded();
        if (embedded == null) {
            embedded = startEmbedded(embeddedDataDir, port);
        }
    }

    private void requireEmbedded() {
        if (embeddedDataDir == null) {
            throw new IllegalStateException("only an embedded Postgres of the stack's own can be stopped and started");
        }
    }

    private static EmbeddedPostgres startEmbedded(Path dataDir, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    boolean isEmbedded() {
        return embeddedDataDir != null;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    void createDatabaseIfAbsent(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("unsafe database name: " + database);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + database);
            }
        }
    }

    void dropDatabase(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement drop = connection.createStatement()) {
            drop.execute("drop database if exists " + database + " with (force)");
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
