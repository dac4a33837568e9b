package dev.taskq.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaTestResourceIT {

    @Test
    void start_returns_the_shared_broker_and_a_run_prefix_for_topics_and_groups() {
        Map<String, String> config = new KafkaTestResource().start();

        assertEquals(KafkaTestResource.bootstrapServers(), config.get("kafka.bootstrap.servers"));
        assertTrue(KafkaTestResource.runPrefix().matches("test-[0-9a-f]{8}\\."), KafkaTestResource.runPrefix());
        assertEquals(KafkaTestResource.runPrefix(), config.get("taskq.kafka.topic-prefix"));
        assertEquals(KafkaTestResource.runPrefix(), config.get("taskq.kafka.group-prefix"));
    }

    @Test
    void a_second_resource_in_the_same_jvm_reuses_the_broker() {
        Map<String, String> first = new KafkaTestResource().start();
        Map<String, String> second = new KafkaTestResource().start();

        assertEquals(first, second);
    }

    @Test
    void the_broker_carries_records_on_prefixed_topics() throws Exception {
        String topic = KafkaTestResource.runPrefix() + "roundtrip";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaTestResource.runPrefix() + "roundtrip",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        assertEquals(List.of("v"), values);
    }
}
