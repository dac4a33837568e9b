package dev.taskq.dependency.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Exposes a consumer's own {@code records-lag-max} (the largest partition lag it saw in the last sample window)
 * as {@code taskq.kafka.consumer.lag}, one series per consumer role rather than per client id or partition.
 */
public final class ConsumerLag {

    private ConsumerLag() {}

    public static void register(MeterRegistry registry, String consumerRole, Consumer<?, ?> consumer) {
        Gauge.builder("taskq.kafka.consumer.lag", consumer, ConsumerLag::recordsLagMax)
                .description("Largest partition lag (records) this consumer saw in its last sample window")
                .tag("consumer", consumerRole)
                .strongReference(true)
                .register(registry);
    }

    /** Reading metrics() is safe from the scrape thread: unlike poll(), it takes no consumer lock. */
    static double recordsLagMax(Consumer<?, ?> consumer) {
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
