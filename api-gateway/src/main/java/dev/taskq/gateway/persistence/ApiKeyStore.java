package dev.taskq.gateway.persistence;

import dev.taskq.gateway.domain.Caller;
import dev.taskq.gateway.domain.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/** The api_keys table: keys by hash for authentication, and the admin's create, list, show and revoke. */
// Plain JDBC: authentication runs outside any request context (a Vert.x filter), where an EntityManager is not available.
// Inside a @Transactional method the pooled connection joins the transaction, so a key and its audit row commit together.
@ApplicationScoped
public class ApiKeyStore {

    /** A key row without its hash. */
    public record StoredKey(UUID id, String name, String prefix, Role role, Set<String> pools, Caller.Limits limits,
                            UUID createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

        /** Whether the key authenticates at {@code now}: neither revoked nor expired. */
        public boolean usableAt(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    private static final String COLUMNS = """
            id, name, prefix, role, pools, requests_per_second, max_running_tasks, daily_budget_usd, created_by, created_at,
            expires_at, revoked_at, last_used_at""";

    private final DataSource dataSource;

    public ApiKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(StoredKey key, byte[] hash) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into api_keys (" + COLUMNS
                        + ", key_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, key.id());
            insert.setString(2, key.name());
            insert.setString(3, key.prefix());
            insert.setString(4, key.role().wire());
            insert.setArray(5, connection.createArrayOf("text", key.pools().stream().sorted().toArray()));
            setNullable(insert, 6, key.limits().requestsPerSecond(), Types.DOUBLE);
            setNullable(insert, 7, key.limits().maxRunningTasks(), Types.INTEGER);
            setNullable(insert, 8, key.limits().dailyBudgetUsd(), Types.NUMERIC);
            insert.setObject(9, key.createdBy());
            insert.setTimestamp(10, Timestamp.from(key.createdAt()));
            insert.setTimestamp(11, key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()));
            insert.setTimestamp(12, null);
            insert.setTimestamp(13, null);
            insert.setBytes(14, hash);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store API key " + key.id(), e);
        }
    }

    /** The key whose secret hashes to {@code hash}, whether or not it is still usable. */
    public Optional<StoredKey> findByHash(byte[] hash) {
        return queryOne("select " + COLUMNS + " from api_keys where key_hash = ?", statement -> statement.setBytes(1, hash));
    }

    public Optional<StoredKey> find(UUID id) {
        return queryOne("select " + COLUMNS + " from api_keys where id = ?", statement -> statement.setObject(1, id));
    }

    /** Newest first, up to {@code limit} keys created before the cursor key (or from the newest without one). */
    public List<StoredKey> list(ListCursor after, int limit) {
        String sql = "select " + COLUMNS + " from api_keys"
                + (after == null ? "" : " where (created_at, id) < (?, ?)")
                + " order by created_at desc, id desc limit ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int index = 1;
            if (after != null) {
                query.setTimestamp(index++, Timestamp.from(after.createdAt()));
                query.setObject(index++, after.id());
            }
            query.setInt(index, limit);
            List<StoredKey> keys = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(read(rows));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("could not list API keys", e);
        }
    }

    /** Marks the key revoked now; false when it does not exist or was revoked already. */
    public boolean revoke(UUID id, Instant at) {
        return update("update api_keys set revoked_at = ? where id = ? and revoked_at is null", Timestamp.from(at), id) == 1;
    }

    /** Records that the key was used; called at most once per cache period, not on every request. */
    public void touch(UUID id, Instant at) {
        update("update api_keys set last_used_at = ? where id = ?", Timestamp.from(at), id);
    }

    private int update(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                update.setObject(i + 1, args[i]);
            }
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not update API keys", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private Optional<StoredKey> queryOne(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            binder.bind(query);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read API keys", e);
        }
    }

    private static StoredKey read(ResultSet rows) throws SQLException {
        Array pools = rows.getArray("pools");
        double requestsPerSecond = rows.getDouble("requests_per_second");
        Double rps = rows.wasNull() ? null : requestsPerSecond;
        int maxRunning = rows.getInt("max_running_tasks");
        Integer running = rows.wasNull() ? null : maxRunning;
        BigDecimal budget = rows.getBigDecimal("daily_budget_usd");
        return new StoredKey(rows.getObject("id", UUID.class), rows.getString("name"), rows.getString("prefix"),
                Role.fromWire(rows.getString("role")).orElseThrow(),
                pools == null ? Set.of() : Set.copyOf(Arrays.asList((String[]) pools.getArray())),
                new Caller.Limits(rps, running, budget), rows.getObject("created_by", UUID.class),
                instant(rows, "created_at"), instant(rows, "expires_at"), instant(rows, "revoked_at"), instant(rows, "last_used_at"));
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp value = rows.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static void setNullable(PreparedStatement statement, int index, Object value, int type) throws SQLException {
        if (value == null) {
            statement.setNull(index, type);
        } else {
            statement.setObject(index, value);
        }
    }
}
