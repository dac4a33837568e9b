package dev.taskq.store.persistence;

import dev.taskq.common.json.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The transactional outbox: a record appended here is published to Kafka by dependency-service's relay
 * if and only if the caller's transaction commits (a trigger wakes the relay then, see {@link PgNotify}).
 *
 * <p>A transaction's records are held in memory and written together as it commits, in one JDBC batch (one round
 * trip), before Hibernate flushes the rest. Persisting each as an entity cost a round trip apiece: the table's
 * identity key makes Hibernate insert such a row at once to learn its id, and a task's every state change appends
 * one, on the event consumer's serial path. The ids are still drawn at insert time, while the transaction holds the
 * row locks that ordered it, so the records of one key keep their order across transactions (the relay sends by id).
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "insert into outbox (topic, record_key, payload, created_at) values (?, ?, ?, ?)";
    /** The transaction's pending records, kept as a resource of the transaction itself. */
    private static final Object PENDING = new Object();

    private record PendingRecord(String topic, String key, String payload, Instant createdAt) {}

    private final TransactionManager transactionManager;
    private final TransactionSynchronizationRegistry transactionResources;
    private final DataSource dataSource;

    public Outbox(TransactionManager transactionManager, TransactionSynchronizationRegistry transactionResources,
            DataSource dataSource) {
        this.transactionManager = transactionManager;
        this.transactionResources = transactionResources;
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, Object event) {
        pendingRecords().add(new PendingRecord(topic, key, EventJson.toJson(event), Instant.now()));
    }

    @SuppressWarnings("unchecked")
    private List<PendingRecord> pendingRecords() {
        List<PendingRecord> pending = (List<PendingRecord>) transactionResources.getResource(PENDING);
        if (pending != null) {
            return pending;
        }
        List<PendingRecord> records = new ArrayList<>();
        transactionResources.putResource(PENDING, records);
        try {
            // Not interposed, so it runs before Hibernate's own flush; a failure here rolls the transaction back.
            transactionManager.getTransaction().registerSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    insert(records);
                }

                @Override
                public void afterCompletion(int status) {
                    // The records went with the commit, or nowhere with a rollback.
                }
            });
        } catch (RollbackException | SystemException e) {
            throw new IllegalStateException("cannot append to the outbox of this transaction", e);
        }
        return records;
    }

    private void insert(List<PendingRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        // Inside the transaction the pool hands out its enlisted connection, so the rows commit with the rest.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (PendingRecord record : records) {
                insert.setString(1, record.topic());
                insert.setString(2, record.key());
                insert.setString(3, record.payload());
                insert.setObject(4, OffsetDateTime.ofInstant(record.createdAt(), ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + records.size() + " outbox records", e);
        }
    }
}
