package dev.taskq.dependency.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Tells a database outage apart from a bad record, so a consumer retries the one and skips the other. */
@ApplicationScoped
public class DatabaseProbe {

    private final AgroalDataSource dataSource;

    public DatabaseProbe(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
