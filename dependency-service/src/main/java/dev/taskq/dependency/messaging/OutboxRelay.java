package dev.taskq.dependency.messaging;

import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.domain.Wakeups;
import dev.taskq.dependency.persistence.OutboxQueue;
import dev.taskq.store.persistence.OutboxRecordEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka: at least once, never losing one. Rows are deleted in the transaction that
 * read them, only after the broker acknowledged every one; a failure rolls back and the rows are sent again.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final OutboxQueue queue;
    private final KafkaClients clients;
    private final Wakeups wakeups;
    private final DependencyConfig config;
    private final MeterRegistry registry;
    private KafkaProducer<String, String> producer;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(OutboxQueue queue, KafkaClients clients, Wakeups wakeups, DependencyConfig config, MeterRegistry registry) {
        this.queue = queue;
        this.clients = clients;
        this.wakeups = wakeups;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
        closeProducer();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try {
                wakeups.relay().await(config.relayInterval());
                int published;
                do {
                    published = QuarkusTransaction.requiringNew().call(this::publishBatch);
                } while (published == config.relayBatchSize() && running);
                backoff = FIRST_BACKOFF;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Outbox relay failed, retrying in %s: %s", backoff, e.getMessage());
                // After a failed send an idempotent producer may be unusable; a fresh one starts clean.
                closeProducer();
                if (!sleep(backoff)) {
                    return;
                }
                backoff = min(backoff.multipliedBy(2), config.relayMaxBackoff());
            }
        }
    }

    /** Publishes the oldest rows in the caller's transaction; returns how many, or 0 if another replica relays. */
    int publishBatch() throws InterruptedException, ExecutionException, TimeoutException {
        if (!queue.tryLockRelay()) {
            return 0;
        }
        List<OutboxRecordEntity> rows = queue.oldest(config.relayBatchSize());
        if (rows.isEmpty()) {
            return 0;
        }
        KafkaProducer<String, String> kafka = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxRecordEntity row : rows) {
            acks.add(kafka.send(new ProducerRecord<>(row.topic, row.recordKey, row.payload)));
        }
        long deadline = System.nanoTime() + config.relaySendTimeout().toNanos();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        // A crash between the acks and this commit sends the rows again: consumers apply each record once.
        queue.delete(rows.stream().map(row -> row.id).toList());
        for (OutboxRecordEntity row : rows) {
            registry.counter("taskq.outbox.published", "topic", row.topic).increment();
        }
        return rows.size();
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = clients.newOutboxProducer(config.relaySendTimeout());
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(1));
            producer = null;
        }
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
