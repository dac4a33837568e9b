package dev.taskq.common.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Exposes a consumer's own {@code records-lag-max} (the largest partition lag it saw in its last sample window) as
 * {@code taskq.kafka.consumer.lag}, one series per consumer role rather than per client id or partition.
 */
public final class ConsumerLag {

    private ConsumerLag() {}

    /**
     * Registers the gauge for {@code role}; {@code current} names the consumer that fills the role now (a service
     * that reopens its consumer after a failure hands in a reference it updates), or null while there is none.
     */
    public static void register(MeterRegistry registry, String role, Supplier<? extends Consumer<?, ?>> current) {
        Gauge.builder("taskq.kafka.consumer.lag", current, supplier -> recordsLagMax(supplier.get()))
                .description("Largest partition lag (records) this consumer saw in its last sample window")
                .tag("consumer", role)
                .strongReference(true)
                .register(registry);
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
