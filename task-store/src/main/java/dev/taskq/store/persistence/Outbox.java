package dev.taskq.store.persistence;

import dev.taskq.common.json.EventJson;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * The transactional outbox: a record appended here is published to Kafka by dependency-service's relay
 * if and only if the caller's transaction commits (a trigger wakes the relay then, see {@link PgNotify}).
 */
@ApplicationScoped
public class Outbox implements PanacheRepository<OutboxRecordEntity> {

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, Object event) {
        OutboxRecordEntity record = new OutboxRecordEntity();
        record.topic = topic;
        record.recordKey = key;
        record.payload = EventJson.toJson(event);
        record.createdAt = Instant.now();
        persist(record);
    }
}
