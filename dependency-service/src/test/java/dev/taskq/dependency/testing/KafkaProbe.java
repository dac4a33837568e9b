package dev.taskq.dependency.testing;

import dev.taskq.common.json.EventJson;
import dev.taskq.testsupport.KafkaTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning, without a consumer group, and keeps every record it saw. */
public final class KafkaProbe implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private KafkaProbe(String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "probe-" + topic + "-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitionsOf(topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * The topic's partitions, asked for until the broker knows the topic: one created a moment ago may still be unknown
     * to the broker asked, and the consumer then answers with no partitions at all, which would make a silent probe.
     */
    private List<TopicPartition> partitionsOf(String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            sleep(Duration.ofMillis(50));
        } while (System.nanoTime() < deadline);
        consumer.close();
        throw new IllegalStateException("Topic " + topic + " has no partitions after 10 s");
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a topic's partitions", e);
        }
    }

    public static KafkaProbe on(String topic) {
        return new KafkaProbe(topic);
    }

    /** Every record of the topic so far whose value, read as {@code type}, matches. */
    public synchronized <T> List<T> values(Class<T> type, Predicate<T> filter) {
        drain();
        return seen.stream().map(record -> EventJson.fromBytes(record.value(), type)).filter(filter).toList();
    }

    /** Every record so far with this key. */
    public synchronized List<ConsumerRecord<String, byte[]>> recordsWithKey(String key) {
        drain();
        return seen.stream().filter(record -> key.equals(record.key())).toList();
    }

    private void drain() {
        List<ConsumerRecord<String, byte[]>> batch;
        do {
            batch = new ArrayList<>();
            consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
            seen.addAll(batch);
        } while (!batch.isEmpty());
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
