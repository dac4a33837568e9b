package dev.taskq.notifier.domain;

import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.notifier.persistence.DeliveryStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes settled deliveries (and their attempts) that have not changed for {@code retention.deliveries}, a batch
 * a transaction; several replicas may sweep at once (SKIP LOCKED).
 */
@ApplicationScoped
public class DeliveryRetention {

    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);

    private final DeliveryStore store;
    private final NotifierConfig.Retention config;
    private final Counter deleted;

    public DeliveryRetention(DeliveryStore store, NotifierConfig config, MeterRegistry registry) {
        this.store = store;
        this.config = config.retention();
        this.deleted = Counter.builder("taskq.notifications.deleted")
                .description("Settled deliveries deleted by retention").register(registry);
    }

    @Scheduled(every = "${taskq.notifier.retention.interval}", delayed = "${taskq.notifier.retention.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int swept = sweep(Instant.now());
            if (swept > 0) {
                LOG.infof("Retention deleted %d settled deliveries", swept);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Delivery retention sweep failed, retrying at its next run: %s", e.getMessage());
        }
    }

    /** Deletes the deliveries settled longer ago than the retention allows, as of {@code now}; returns how many. */
    public int sweep(Instant now) {
        Duration keep = config.deliveries();
        if (keep.isZero() || keep.isNegative()) {
            return 0;
        }
        Instant settledBefore = now.minus(keep);
        int total = 0;
        int batch;
        do {
            batch = store.deleteSettled(settledBefore, config.batchSize());
            total += batch;
        } while (batch == config.batchSize());
        deleted.increment(total);
        return total;
    }
}
