package dev.taskq.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** Plain-JDBC reads of the test database, e.g. to prove that a request wrote nothing. */
public final class TestDatabase {

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private TestDatabase() {
    }

    /** The number of rows in {@code table} (a plain or schema-qualified name). */
    public static long count(String table) {
        if (!TABLE_NAME.matcher(table).matches()) {
            return count(table, new Object[0]);
        }
        return count("SELECT count(*) FROM " + table, new Object[0]);
    }

    /** Runs a query whose first column of the first row is a number, e.g. {@code SELECT count(*) FROM task WHERE state = ?}. */
    public static long count(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("No row from: " + sql);
                }
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
