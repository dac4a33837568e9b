package dev.taskq.localinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs an embedded Postgres until SIGTERM: {@code --port 5432 --data-dir DIR}; only for machines
 * where no Postgres server is reachable.
 */
public final class EmbeddedPostgresMain {

    static final String DATABASE = "taskq";

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse(args);
        Path dataDir = cli.dataDir("target/postgres-data").toAbsolutePath();
        Files.createDirectories(dataDir);
        int port = cli.port(5432);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                // Keep the data between runs: the local stack restarts against the same directory.
                .setCleanDataDirectory(false)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "postgres-shutdown"));
        createDatabaseIfAbsent(postgres);
        System.out.println("Postgres ready at jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE
                + " (user postgres)");
        stopped.await();
    }

    private static void createDatabaseIfAbsent(EmbeddedPostgres postgres) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }
}
