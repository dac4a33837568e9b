package dev.taskq.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    @Test
    void aRoleWithoutAConsumerYetReportsNoLag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Consumer<?, ?>> current = new AtomicReference<>();

        ConsumerLag.register(registry, "intake", current::get);

        assertThat(registry.get("taskq.kafka.consumer.lag").tag("consumer", "intake").gauge().value()).isZero();
    }

    @Test
    void theGaugeFollowsTheConsumerThatCurrentlyFillsTheRole() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Consumer<?, ?>> current = new AtomicReference<>();
        ConsumerLag.register(registry, "intake", current::get);

        current.set(new MockConsumer<String, String>("earliest"));

        // A consumer that has not fetched yet has observed no lag; the gauge reads it rather than failing.
        assertThat(registry.get("taskq.kafka.consumer.lag").tag("consumer", "intake").gauge().value()).isZero();
        assertThat(registry.find("taskq.kafka.consumer.lag").gauges()).hasSize(1);
    }
}
