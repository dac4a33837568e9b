package dev.taskq.worker.metrics;

import dev.taskq.common.messaging.ConsumerLag;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The worker's Kafka consumer lag gauge: one series per consumer role, following the consumer that currently
 * fills the role (the intake and the command listener open a new consumer after a failure).
 */
@ApplicationScoped
public class WorkerMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Consumer<?, ?>>> consumers = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Makes {@code consumer} the one whose lag {@code taskq.kafka.consumer.lag{consumer=role}} reports. */
    public void track(String role, Consumer<?, ?> consumer) {
        consumers.computeIfAbsent(role, key -> {
            AtomicReference<Consumer<?, ?>> current = new AtomicReference<>();
            ConsumerLag.register(registry, key, current::get);
            return current;
        }).set(consumer);
    }
}
