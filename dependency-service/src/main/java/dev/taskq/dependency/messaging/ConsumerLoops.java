package dev.taskq.dependency.messaging;

import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.ConsumerLag;
import dev.taskq.common.messaging.KafkaPollLoop;
import dev.taskq.dependency.config.DependencyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Runs the service's batch consumers: one poll loop per topic in the service's group, its lag exported as
 * {@code taskq.kafka.consumer.lag{consumer=role}}, all of them stopped when the service shuts down.
 */
@ApplicationScoped
public class ConsumerLoops {

    private final KafkaClients clients;
    private final ConsumerGroups groups;
    private final DependencyConfig config;
    private final MeterRegistry registry;
    private final List<KafkaPollLoop> running = new CopyOnWriteArrayList<>();

    public ConsumerLoops(KafkaClients clients, ConsumerGroups groups, DependencyConfig config, MeterRegistry registry) {
        this.clients = clients;
        this.groups = groups;
        this.config = config;
        this.registry = registry;
    }

    /** Starts consuming {@code topic}, handing each polled batch to {@code handler}. */
    public void start(String role, String topic, KafkaPollLoop.BatchHandler handler) {
        KafkaConsumer<String, byte[]> consumer =
                clients.newConsumer(groups.dependencyService(), "dependency-service-" + role, config.consumer().maxPollRecords());
        ConsumerLag.register(registry, role, () -> consumer);
        KafkaPollLoop loop = new KafkaPollLoop(role + "-consumer", consumer, topic, handler, config.consumer().retryBackoff());
        running.add(loop);
        loop.start();
    }

    void stopAll(@Observes ShutdownEvent event) throws InterruptedException {
        for (KafkaPollLoop loop : running) {
            loop.stop();
        }
    }
}
