package dev.taskq.worker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

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
            Gauge.builder("taskq.kafka.consumer.lag", current, ref -> recordsLagMax(ref.get()))
                    .description("Largest partition lag (records) this consumer saw in its last sample window")
                    .tag("consumer", key)
                    .strongReference(true)
                    .register(registry);
            return current;
        }).set(consumer);
    }

    /** Reading metrics() is safe from the scrape thread: unlike poll(), it takes no consumer lock. */
    static double recordsLagMax(Consumer<?, ?> consumer) {
        if (consumer == null) {
            return 0;
        }
        try {
            for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
                MetricName name = metric.getKey();
                if ("records-lag-max".equals(name.name()) && "consumer-fetch-manager-metrics".equals(name.group())
                        && !name.tags().containsKey("topic")) {
                    Object value = metric.getValue().metricValue();
                    // Kafka reports -Infinity/NaN before the first fetch: no lag observed yet.
                    return value instanceof Number number && Double.isFinite(number.doubleValue()) ? number.doubleValue() : 0;
                }
            }
        } catch (RuntimeException closed) {
            // A closed consumer has no metrics left.
        }
        return 0;
    }
}
