package dev.taskq.gateway.persistence;

import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.domain.IdempotencyConflictException;
import dev.taskq.gateway.domain.IdempotencyKey;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The idempotency_keys table: claiming a key for a resource about to be created, and forgetting old keys. */
@ApplicationScoped
public class IdempotencyKeys {

    /** A key some earlier request claimed: the hash of that request and what it created. */
    private record Claimed(String requestHash, UUID resourceId) {}

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    private final EntityManager entityManager;
    private final Duration retention;

    public IdempotencyKeys(EntityManager entityManager, GatewayConfig config) {
        this.entityManager = entityManager;
        this.retention = config.idempotency().retention();
    }

    /**
     * Claims the key for {@code resourceId}, the first write of the creating transaction: empty when this request
     * got it (create the resource now; a rollback releases the key with everything else), or the earlier claim.
     * Two identical requests racing insert the same primary key: the second insert waits until the first
     * transaction ends and then either inserts (the first rolled back) or finds its row (it committed).
     */
    private Optional<Claimed> claim(IdempotencyKey key, UUID resourceId) {
        // A key past its retention may be reused; deleting it here makes room without waiting for the cleanup.
        entityManager.createNativeQuery("""
                        delete from idempotency_keys
                        where principal = ?1 and scope = ?2 and idempotency_key = ?3 and created_at < ?4""")
                .setParameter(1, key.principal())
                .setParameter(2, key.scope())
                .setParameter(3, key.key())
                .setParameter(4, Instant.now().minus(retention))
                .executeUpdate();
        int inserted = entityManager.createNativeQuery("""
                        insert into idempotency_keys (principal, scope, idempotency_key, request_hash, resource_id, created_at)
                        values (?1, ?2, ?3, ?4, ?5, now())
                        on conflict do nothing""")
                .setParameter(1, key.principal())
                .setParameter(2, key.scope())
                .setParameter(3, key.key())
                .setParameter(4, key.requestHash())
                .setParameter(5, resourceId)
                .executeUpdate();
        if (inserted == 1) {
            return Optional.empty();
        }
        // A new statement: under READ COMMITTED it sees the row the competing transaction committed.
        List<?> rows = entityManager.createNativeQuery("""
                        select request_hash, resource_id from idempotency_keys
                        where principal = ?1 and scope = ?2 and idempotency_key = ?3""")
                .setParameter(1, key.principal())
                .setParameter(2, key.scope())
                .setParameter(3, key.key())
                .getResultList();
        if (rows.isEmpty()) {
            // Deleted by the cleanup between the two statements: the key is free after all.
            return claim(key, resourceId);
        }
        Object[] row = (Object[]) rows.getFirst();
        return Optional.of(new Claimed((String) row[0], (UUID) row[1]));
    }

    /**
     * Claims the key (if the request carries one) for the resource about to be created as {@code resourceId}.
     * Empty means "go on and create it"; a present id is the resource an identical earlier request created, to be
     * returned instead. The same key with another request is an {@link IdempotencyConflictException} naming
     * {@code resourceKind}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> earlierResource(IdempotencyKey key, UUID resourceId, String resourceKind) {
        if (key == null) {
            return Optional.empty();
        }
        return claim(key, resourceId).map(earlier -> {
            if (!earlier.requestHash().equals(key.requestHash())) {
                throw new IdempotencyConflictException(key.key(), resourceKind);
            }
            return earlier.resourceId();
        });
    }

    /** Forgets keys older than the retention (served by idempotency_keys_created_idx); every replica may run it. */
    @Scheduled(every = "{taskq.api.idempotency.cleanup-interval}", delayed = "{taskq.api.idempotency.cleanup-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void deleteExpired() {
        int deleted = entityManager.createNativeQuery("delete from idempotency_keys where created_at < ?1")
                .setParameter(1, Instant.now().minus(retention))
                .executeUpdate();
        if (deleted > 0) {
            LOG.debugf("Deleted %d expired idempotency keys", deleted);
        }
    }
}
