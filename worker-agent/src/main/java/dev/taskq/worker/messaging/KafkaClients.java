package dev.taskq.worker.messaging;

import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.metrics.WorkerMetrics;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Creates the worker's plain Kafka clients from the {@code kafka.*} configuration (bootstrap servers and any
 * security settings) plus the settings each client needs.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> base;
    private final WorkerIdentity identity;
    private final WorkerMetrics metrics;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, WorkerIdentity identity,
            WorkerMetrics metrics) {
        this.base = Map.copyOf(kafkaConfig);
        this.identity = identity;
        this.metrics = metrics;
    }

    /** The producer of task events and heartbeats: durable and ordered per key, sent without lingering. */
    public KafkaProducer<String, byte[]> eventProducer() {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, identity.workerId() + "-events");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // An ending is on a chain's every edge, so it goes at once; a burst of log lines still batches behind the
        // requests in flight.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** An admin client whose calls give up after {@code timeout}; the caller closes it. */
    public Admin admin(Duration timeout) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, identity.workerId() + "-admin");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(config);
    }

    /** A consumer that commits only what the caller commits; its lag is reported as {@code taskq.kafka.consumer.lag}. */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientSuffix, Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, identity.workerId() + "-" + clientSuffix);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(settings);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        metrics.track(clientSuffix, consumer);
        return consumer;
    }
}
