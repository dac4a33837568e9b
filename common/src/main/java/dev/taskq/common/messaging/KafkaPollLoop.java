package dev.taskq.common.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Polls one topic on a dedicated thread and hands each batch to a handler; the batch's offsets are committed
 * only after the handler returned, i.e. after its database transaction committed (at least once). A handler
 * that throws gets the same records again after a pause.
 */
public final class KafkaPollLoop {

    /** Applies a polled batch; throws to have it delivered again. */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(List<ConsumerRecord<String, byte[]>> records);
    }

    private static final Logger LOG = Logger.getLogger(KafkaPollLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final BatchHandler handler;
    private final Duration retryBackoff;
    private volatile boolean running;
    private Thread thread;

    public KafkaPollLoop(String name, KafkaConsumer<String, byte[]> consumer, String topic, BatchHandler handler, Duration retryBackoff) {
        this.name = name;
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.retryBackoff = retryBackoff;
    }

    public void start() {
        running = true;
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    public void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        if (thread != null) {
            thread.join(5_000);
        }
    }

    private void run() {
        try {
            consumer.subscribe(Set.of(topic));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    handleAndCommit(records);
                }
            }
        } catch (WakeupException e) {
            // stop() woke the consumer out of a poll.
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handleAndCommit(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        try {
            handler.handle(batch);
        } catch (RuntimeException e) {
            LOG.warnf("%s: batch of %d records failed, reading it again in %s: %s", name, batch.size(), retryBackoff, e.getMessage());
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).getFirst().offset());
            }
            pause();
            return;
        }
        try {
            consumer.commitSync();
        } catch (CommitFailedException e) {
            // The partitions moved to another consumer, which reads the batch again; applying it twice is harmless.
            LOG.infof("%s: offsets not committed after a rebalance: %s", name, e.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
