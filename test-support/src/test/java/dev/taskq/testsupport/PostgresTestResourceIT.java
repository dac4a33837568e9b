package dev.taskq.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresTestResourceIT {

    @Test
    void start_returns_a_fresh_database_of_its_own() {
        Map<String, String> config = new PostgresTestResource().start();

        String url = config.get("quarkus.datasource.jdbc.url");
        assertTrue(url.matches("jdbc:postgresql://.+/taskq_test_[0-9a-f]{8}"), url);
        assertEquals(PostgresTestResource.jdbcUrl(), url);
        assertEquals("postgres", config.get("quarkus.datasource.username"));
        assertEquals(url, new PostgresTestResource().start().get("quarkus.datasource.jdbc.url"));
    }

    @Test
    void test_database_counts_rows_by_table_and_by_query() throws Exception {
        try (Connection connection = PostgresTestResource.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE counted (id int, state text)");
            statement.execute("INSERT INTO counted VALUES (1, 'QUEUED'), (2, 'RUNNING'), (3, 'QUEUED')");
        }

        assertEquals(3, TestDatabase.count("counted"));
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM counted WHERE state = ?", "QUEUED"));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM counted WHERE id > 3"));
    }

    @Test
    void a_database_name_replaces_the_one_in_the_server_url() {
        assertEquals("jdbc:postgresql://db:5433/x?ssl=false",
                PostgresTestResource.withDatabase("jdbc:postgresql://db:5433/postgres?ssl=false", "x"));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/x",
                PostgresTestResource.withDatabase("jdbc:postgresql://127.0.0.1:5432/", "x"));
    }
}
