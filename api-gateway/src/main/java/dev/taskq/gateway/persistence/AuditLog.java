package dev.taskq.gateway.persistence;

import dev.taskq.gateway.domain.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The audit_log table: one row per change a caller made or was refused, read back by admins newest first. */
// JDBC through the pooled DataSource: inside a @Transactional command the row commits or rolls back with the change.
@ApplicationScoped
public class AuditLog {

    /** One audit row. */
    public record Entry(long id, Instant at, UUID keyId, String actor, String action, String targetType, String targetId,
                        String outcome, String detail) {}

    /** What GET /api/v1/audit filters on; null fields do not filter. */
    public record Filter(UUID keyId, String action, String targetId, Instant since, Instant until) {}

    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void append(Caller caller, String action, String targetType, String targetId, String outcome, String detail) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into audit_log (at, key_id, actor, action, target_type, target_id, outcome, detail)
                        values (now(), ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, caller.keyId());
            insert.setString(2, caller.name());
            insert.setString(3, action);
            insert.setString(4, targetType);
            insert.setString(5, targetId);
            insert.setString(6, outcome);
            insert.setString(7, detail);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit log", e);
        }
    }

    /** Newest first, up to {@code limit} rows with an id below {@code beforeId} (all when null). */
    public List<Entry> list(Filter filter, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("""
                select id, at, key_id, actor, action, target_type, target_id, outcome, detail from audit_log where true""");
        List<Object> args = new ArrayList<>();
        if (beforeId != null) {
            sql.append(" and id < ?");
            args.add(beforeId);
        }
        if (filter.keyId() != null) {
            sql.append(" and key_id = ?");
            args.add(filter.keyId());
        }
        if (filter.action() != null) {
            sql.append(" and action = ?");
            args.add(filter.action());
        }
        if (filter.targetId() != null) {
            sql.append(" and target_id = ?");
            args.add(filter.targetId());
        }
        if (filter.since() != null) {
            sql.append(" and at >= ?");
            args.add(Timestamp.from(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" and at < ?");
            args.add(Timestamp.from(filter.until()));
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                query.setObject(i + 1, args.get(i));
            }
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getLong("id"), rows.getTimestamp("at").toInstant(),
                            rows.getObject("key_id", UUID.class), rows.getString("actor"), rows.getString("action"),
                            rows.getString("target_type"), rows.getString("target_id"), rows.getString("outcome"),
                            rows.getString("detail")));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log", e);
        }
    }
}
