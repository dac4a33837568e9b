package dev.taskq.dependency.messaging;

import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.domain.Wakeups;
import dev.taskq.dependency.persistence.AttemptLeases;
import dev.taskq.dependency.persistence.DatabaseProbe;
import dev.taskq.dependency.persistence.WorkerRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Consumes worker heartbeats: records each worker's capacity, takes note of the attempts it runs, and renews the
 * leases of all its unfinished attempts. Its own consumer (same group, other topic), so a backlog of task events never delays a renewal.
 * A heartbeat that brings capacity (a new or returning worker, more free slots, another pool) wakes the release,
 * and a pool seen for the first time gets its dispatch topics.
 */
@ApplicationScoped
public class HeartbeatConsumer {

    private static final Logger LOG = Logger.getLogger(HeartbeatConsumer.class);

    private final WorkerRegistry workers;
    private final AttemptLeases leases;
    private final DatabaseProbe database;
    private final ConsumerLoops loops;
    private final TopicNames topics;
    private final TopicSetup topicSetup;
    private final Wakeups wakeups;
    private final DependencyConfig config;

    public HeartbeatConsumer(
            WorkerRegistry workers,
            AttemptLeases leases,
            DatabaseProbe database,
            ConsumerLoops loops,
            TopicNames topics,
            TopicSetup topicSetup,
            Wakeups wakeups,
            DependencyConfig config) {
        this.workers = workers;
        this.leases = leases;
        this.database = database;
        this.loops = loops;
        this.topics = topics;
        this.topicSetup = topicSetup;
        this.wakeups = wakeups;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        loops.start("worker-heartbeats", topics.workerHeartbeats(), this::handle);
    }

    void handle(List<ConsumerRecord<String, byte[]>> records) {
        // Only the newest heartbeat of each worker in the batch matters.
        Map<String, WorkerHeartbeat> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                WorkerHeartbeat heartbeat = EventJson.fromBytes(record.value(), WorkerHeartbeat.class);
                if (heartbeat.workerId() == null) {
                    throw new IllegalArgumentException("no workerId");
                }
                latest.put(heartbeat.workerId(), heartbeat);
            } catch (RuntimeException e) {
                LOG.errorf("Skipping unreadable heartbeat at %s-%d offset %d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        if (latest.isEmpty()) {
            return;
        }
        AtomicBoolean capacityGrew = new AtomicBoolean();
        try {
            QuarkusTransaction.requiringNew().run(() -> latest.values().forEach(heartbeat -> {
                if (apply(heartbeat)) {
                    capacityGrew.set(true);
                }
            }));
        } catch (RuntimeException batchFailure) {
            if (!database.isReachable()) {
                throw batchFailure;
            }
            for (WorkerHeartbeat heartbeat : latest.values()) {
                try {
                    if (QuarkusTransaction.requiringNew().call(() -> apply(heartbeat))) {
                        capacityGrew.set(true);
                    }
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Skipping heartbeat of worker %s: it cannot be stored", heartbeat.workerId());
                }
            }
        }
        latest.values().forEach(this::ensurePoolTopics);
        if (capacityGrew.get()) {
            // After the commit, so the release pass sees the capacity.
            wakeups.release().signal();
        }
    }

    /** Stores the heartbeat and renews the worker's leases; returns whether it brings capacity release waited for. */
    private boolean apply(WorkerHeartbeat heartbeat) {
        Instant now = Instant.now();
        WorkerRegistry.Recorded previous = workers.upsert(heartbeat, now);
        // Before the renewal, so an attempt whose SessionStarted has not been applied yet gets its lease now.
        leases.markRunning(heartbeat.workerId(), heartbeat.running(), heartbeat.at() == null ? now : heartbeat.at());
        leases.renew(heartbeat.workerId(), now.plus(config.leaseDuration()));
        return previous == null || previous.outgrownBy(heartbeat, now.minus(config.release().workerLiveness()));
    }

    private void ensurePoolTopics(WorkerHeartbeat heartbeat) {
        if (heartbeat.pools() == null) {
            return;
        }
        // On failure (logged there) release tries again before it dispatches to the pool; the heartbeat is stored.
        heartbeat.pools().forEach(topicSetup::ensurePoolTopics);
    }
}
