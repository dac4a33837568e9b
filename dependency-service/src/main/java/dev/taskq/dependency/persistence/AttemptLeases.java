package dev.taskq.dependency.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The leases of running attempts: renewed by heartbeats, claimed when they run out.
 *
 * <p>Every lease time comes from this service's clock (never mixed with the database's), so renewals and
 * expiry checks compare like with like.
 */
@ApplicationScoped
public class AttemptLeases {

    /** An unfinished attempt whose lease ran out, with its task row locked. */
    public record ExpiredLease(UUID taskId, int attempt, String workerId, Instant leaseExpiresAt) {}

    private final EntityManager entityManager;

    public AttemptLeases(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Extends every unfinished attempt of the worker to {@code expiresAt}: one statement per heartbeat. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int renew(String workerId, Instant expiresAt) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            // Served by task_attempts_open_worker_idx.
            try (PreparedStatement statement = connection.prepareStatement(
                    "update task_attempts set lease_expires_at = ? where worker_id = ? and finished_at is null")) {
                statement.setTimestamp(1, Timestamp.from(expiresAt));
                statement.setString(2, workerId);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Locks up to {@code limit} unfinished attempts whose lease ended before {@code now}, with their tasks.
     * The attempt row is locked too, so a heartbeat racing with this waits and then finds it finished;
     * SKIP LOCKED leaves tasks another transaction holds to a later pass.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ExpiredLease> claimExpired(Instant now, int limit) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            // Served by task_attempts_open_lease_idx.
            try (PreparedStatement statement = connection.prepareStatement("""
                    select a.task_id, a.attempt, a.worker_id, a.lease_expires_at
                    from task_attempts a join tasks t on t.id = a.task_id
                    where a.finished_at is null and a.lease_expires_at < ?
                    order by a.lease_expires_at
                    limit ?
                    for update of t, a skip locked""")) {
                statement.setTimestamp(1, Timestamp.from(now));
                statement.setInt(2, limit);
                List<ExpiredLease> expired = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        expired.add(new ExpiredLease(
                                rows.getObject(1, UUID.class),
                                rows.getInt(2),
                                rows.getString(3),
                                rows.getTimestamp(4).toInstant()));
                    }
                }
                return expired;
            }
        });
    }
}
