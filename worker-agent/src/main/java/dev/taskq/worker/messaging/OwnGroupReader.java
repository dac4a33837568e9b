package dev.taskq.worker.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads a topic that every worker must see whole (commands, direct dispatches): in a consumer group of this worker's
 * own, starting from the latest offset when the group has none, on a {@link RestartingLoop} that reopens the
 * consumer after a failure. {@link #isListening()} turns true once the positions are fixed, so a record sent after
 * that is seen.
 */
final class OwnGroupReader {

    private static final Logger LOG = Logger.getLogger(OwnGroupReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final KafkaClients clients;
    private final String groupId;
    private final String clientSuffix;
    private final String topic;
    private final boolean commitAfterHandling;
    private final Consumer<ConsumerRecords<String, byte[]>> handler;
    private final RestartingLoop loop;
    private volatile boolean listening;

    /**
     * @param clientSuffix names the consumer's client id and its metrics
     * @param commitAfterHandling whether handled positions are committed, so a restarted reader goes on where it
     *     stopped; without, a restarted reader starts again from the latest offset
     */
    OwnGroupReader(String loopName, KafkaClients clients, String groupId, String clientSuffix, String topic,
            boolean commitAfterHandling, Consumer<ConsumerRecords<String, byte[]>> handler) {
        this.clients = clients;
        this.groupId = groupId;
        this.clientSuffix = clientSuffix;
        this.topic = topic;
        this.commitAfterHandling = commitAfterHandling;
        this.handler = handler;
        this.loop = new RestartingLoop(loopName, this::consume);
    }

    void start() {
        loop.start();
    }

    boolean isListening() {
        return listening;
    }

    void stop(Duration timeout) throws InterruptedException {
        loop.stop(timeout);
    }

    private void consume() {
        Map<String, Object> settings = Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(groupId, clientSuffix, settings)) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Resolving "latest" now fixes where reading starts; a record sent after this is seen.
                    partitions.forEach(consumer::position);
                    listening = true;
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
            });
            while (!loop.stopRequested()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (records.isEmpty()) {
                    continue;
                }
                handler.accept(records);
                if (commitAfterHandling) {
                    try {
                        consumer.commitSync();
                    } catch (KafkaException e) {
                        LOG.warnf("Could not commit what was read from %s: %s", topic, e.getMessage());
                    }
                }
            }
        } finally {
            listening = false;
        }
    }
}
