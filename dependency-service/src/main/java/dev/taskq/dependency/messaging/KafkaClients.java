package dev.taskq.dependency.messaging;

import dev.taskq.common.messaging.KafkaClientSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the service's Kafka clients from {@code kafka.bootstrap.servers} and the {@code kafka.*} TLS/SASL settings. */
@ApplicationScoped
public class KafkaClients {

    private final String bootstrapServers;

    public KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Produces
    @Singleton
    Admin admin() {
        return Admin.create(secured(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "dependency-service-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)));
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close(Duration.ofSeconds(2));
    }

    /**
     * The outbox relay's producer: idempotent with acks from all in-sync replicas, so an acknowledged record
     * survives a broker failure and a retried send is not written twice. No linger: a lone dispatch goes at once (the
     * 1 ms linger this had was measured on a chain's every edge), and a burst still batches behind the requests in
     * flight.
     */
    public KafkaProducer<String, String> newOutboxProducer(Duration sendTimeout) {
        int deliveryTimeout = (int) sendTimeout.toMillis();
        return new KafkaProducer<>(secured(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "dependency-service-outbox",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(5_000, deliveryTimeout - 1),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeout,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryTimeout)),
                new StringSerializer(), new StringSerializer());
    }

    /** A consumer that commits only what was applied: offsets are committed by hand after the database commit. */
    public KafkaConsumer<String, byte[]> newConsumer(String groupId, String clientId, int maxPollRecords) {
        return new KafkaConsumer<>(secured(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                // Topics are created by TopicSetup with the right partition count, never implicitly with the broker default.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The client settings plus the service's kafka.security.protocol, kafka.sasl.* and kafka.ssl.* (as the channels get). */
    private static Map<String, Object> secured(Map<String, ?> settings) {
        return KafkaClientSecurity.with(settings, name -> ConfigProvider.getConfig().getOptionalValue(name, String.class));
    }
}
