package dev.taskq.dependency.persistence;

import dev.taskq.store.persistence.OutboxRecordEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** The relay's side of the outbox: one relayer at a time reads the oldest rows and deletes what it published. */
@ApplicationScoped
public class OutboxQueue implements PanacheRepository<OutboxRecordEntity> {

    // Any constant works as long as nothing else in the database takes this advisory lock; "taskq" in ASCII.
    static final long RELAY_LOCK = 0x7461736b71L;

    /**
     * Takes the relay lock until the transaction ends, or returns false when another replica holds it.
     * A single relayer publishes rows in id order, which keeps each key's records in the order they were written.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryLockRelay() {
        return (Boolean) getEntityManager()
                .createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK)
                .getSingleResult();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public List<OutboxRecordEntity> oldest(int limit) {
        return find("order by id").page(0, limit).list();
    }

    /**
     * One statement with an array parameter: a query with an IN list of varying length is translated afresh by
     * Hibernate on every call (and a positional list parameter first failed a coercion to Long, an exception a time).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(List<Long> ids) {
        if (!ids.isEmpty()) {
            getEntityManager()
                    .createNativeQuery("delete from outbox where id = any(?1)")
                    .setParameter(1, ids.toArray(Long[]::new))
                    .executeUpdate();
        }
    }
}
