package dev.taskq.dependency.persistence;

import dev.taskq.common.event.AttemptRef;
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

    /**
     * Extends every unfinished attempt of the worker to {@code expiresAt}: one statement per heartbeat. The rows are
     * locked in (task_id, attempt) order first, the order every statement that locks several attempts uses (see
     * {@code TaskAttemptRepository.lockCurrent}); in the index's order a heartbeat and the event consumer deadlocked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int renew(String workerId, Instant expiresAt) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            // Served by task_attempts_open_worker_idx.
            try (PreparedStatement statement = connection.prepareStatement("""
                    update task_attempts a set lease_expires_at = ?
                    from (select task_id, attempt from task_attempts
                          where worker_id = ? and finished_at is null
                          order by task_id, attempt
                          for no key update) locked
                    where a.task_id = locked.task_id and a.attempt = locked.attempt""")) {
                statement.setTimestamp(1, Timestamp.from(expiresAt));
                statement.setString(2, workerId);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Records what the worker's heartbeat says it runs, for the unfinished attempts whose SessionStarted has not been
     * applied yet: the attempt gets the worker (so the next {@link #renew} leases it too) and, provisionally, the
     * heartbeat's instant as its start; the SessionStarted, when it comes, sets both for good. Heartbeats have a
     * consumer of their own, so a start still queued behind a backlog of task events does not look like a dispatch
     * nobody took: the dispatch rescue never withdraws a started attempt. Attempts owned by another worker, started,
     * finished or unknown are left alone. Returns how many it marked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int markRunning(String workerId, List<AttemptRef> running, Instant seenRunningAt) {
        if (running == null || running.isEmpty()) {
            return 0;
        }
        UUID[] taskIds = running.stream().map(AttemptRef::taskId).toArray(UUID[]::new);
        Integer[] numbers = running.stream().map(AttemptRef::attempt).toArray(Integer[]::new);
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            // Primary-key lookups, locked in key order as in renew; an attempt whose Started was applied is not written.
            try (PreparedStatement statement = connection.prepareStatement("""
                    update task_attempts a set worker_id = ?, started_at = ?
                    from (select s.task_id, s.attempt
                          from task_attempts s join unnest(?, ?) as r(task_id, attempt)
                            on s.task_id = r.task_id and s.attempt = r.attempt
                          where s.finished_at is null and s.started_at is null
                            and (s.worker_id is null or s.worker_id = ?)
                          order by s.task_id, s.attempt
                          for no key update of s) locked
                    where a.task_id = locked.task_id and a.attempt = locked.attempt""")) {
                statement.setString(1, workerId);
                statement.setTimestamp(2, Timestamp.from(seenRunningAt));
                statement.setArray(3, connection.createArrayOf("uuid", taskIds));
                statement.setArray(4, connection.createArrayOf("integer", numbers));
                statement.setString(5, workerId);
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
