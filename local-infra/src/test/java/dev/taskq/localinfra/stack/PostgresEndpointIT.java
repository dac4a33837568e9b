package dev.taskq.localinfra.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresEndpointIT {

    @Test
    void whenNoServerAnswersAnEmbeddedPostgresIsStartedAndHoldsTheDatabase(@TempDir Path dataDir) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (PostgresEndpoint postgres = PostgresEndpoint.reachableOrEmbedded("127.0.0.1", closedPort, "postgres", "", dataDir)) {
            assertTrue(postgres.isEmbedded());
            postgres.createDatabaseIfAbsent("taskq_embedded_check");
            postgres.createDatabaseIfAbsent("taskq_embedded_check");
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("taskq_embedded_check"), postgres.user(), postgres.password());
                    ResultSet row = connection.createStatement().executeQuery("select current_database()")) {
                row.next();
                assertEquals("taskq_embedded_check", row.getString(1));
            }
        }
    }

    @Test
    void aServerThatAnswersIsUsedAsItIs(@TempDir Path dataDir) throws Exception {
        try (PostgresEndpoint postgres = PostgresEndpoint.reachableOrEmbedded("127.0.0.1", 5432, "postgres", "", dataDir)) {
            assertFalse(postgres.isEmbedded());
            assertEquals("jdbc:postgresql://127.0.0.1:5432/taskq", postgres.jdbcUrl("taskq"));
        }
    }
}
