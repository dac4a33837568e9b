package dev.taskq.store.persistence;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import org.hibernate.exception.JDBCConnectionException;

/** Tells a failure to reach Postgres from any other failure, wherever Hibernate, Narayana or Agroal wrapped it. */
public final class DatabaseFailures {

    private DatabaseFailures() {}

    /**
     * Whether {@code failure}, or anything it wraps, says Postgres could not be reached or dropped the connection: a
     * connection exception (SQLState class 08), the server shutting down or not accepting connections yet (57P01-57P03),
     * or no pooled connection within the acquisition timeout (the pool cannot open new ones while Postgres is away).
     */
    public static boolean isUnreachable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause instanceof JDBCConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && unreachable(sql)) {
                return true;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (isUnreachable(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean unreachable(SQLException sql) {
        String state = sql.getSQLState();
        if (state != null) {
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        }
        // Agroal's acquisition timeout carries no SQLState, only its message.
        String message = sql.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }
}
