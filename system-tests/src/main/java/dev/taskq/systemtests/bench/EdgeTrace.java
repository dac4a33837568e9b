package dev.taskq.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.systemtests.bench.WorkflowBenchmark.Latencies;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Splits each edge of a workflow into its hops, by putting the Kafka records' create times (stamped by the producing
 * client at send) between the database's instants. All clocks are this machine's; Kafka's timestamps are whole
 * milliseconds (truncated), so a hop is known to within a millisecond, and the first reads about -0.5 ms for that reason:
 *
 * <ol>
 * <li>parent process ended (finished_at) → its "finished" event sent by the worker;</li>
 * <li>→ child ready (QUEUED), i.e. Kafka, dependency-service's consumer and the event transaction;</li>
 * <li>→ child dispatched (claimed by the same event transaction, or by the release loop);</li>
 * <li>→ its dispatch record sent (the outbox relay);</li>
 * <li>→ child process started, i.e. Kafka, the worker's intake and the spawn.</li>
 * </ol>
 */
final class EdgeTrace {

    static final List<String> HOPS = List.of(
            "parent ended → finished event sent (worker)",
            "event sent → child ready (Kafka + event transaction)",
            "ready → dispatched (the release's claim)",
            "dispatched → dispatch record sent (outbox relay)",
            "dispatch sent → process started (Kafka + worker intake + spawn)");

    /**
     * A workflow's single-parent edges, parent {@code p} (its current attempt {@code pa}) to child {@code c} ({@code ca}),
     * the workflow id the one parameter. Fan-in edges are left out: a join waits for its slowest parent by design.
     */
    static final String SINGLE_PARENT_EDGES = """
            from tasks c
            join task_dependencies d on d.task_id = c.id
            join tasks p on p.id = d.depends_on
            join task_attempts pa on pa.task_id = p.id and pa.attempt = p.current_attempt
            join task_attempts ca on ca.task_id = c.id and ca.attempt = c.current_attempt
            where c.workflow_id = ?
              and (select count(*) from task_dependencies x where x.task_id = c.id) = 1""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeTrace() {}

    /** One latency distribution per entry of {@link #HOPS}, over the workflow's single-parent edges. */
    static List<Latencies> of(Connection db, String bootstrapServers, TopicNames topics, UUID workflowId) throws Exception {
        List<String> topicsToRead = new ArrayList<>(topics.dispatchTopicsByPriority());
        topicsToRead.add(topics.taskEvents());
        Map<String, Instant> finishedSent = new HashMap<>();
        Map<String, Instant> dispatchSent = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(bootstrapServers, topicsToRead)) {
            JsonNode value = JSON.readTree(record.value());
            String key = value.path("taskId").asText() + "/" + value.path("attempt").asInt();
            Instant sent = Instant.ofEpochMilli(record.timestamp());
            if (record.topic().equals(topics.taskEvents())) {
                if (value.path("type").asText().equals("finished")) {
                    finishedSent.putIfAbsent(key, sent);
                }
            } else {
                dispatchSent.putIfAbsent(key, sent);
            }
        }
        List<Latencies> hops = new ArrayList<>();
        HOPS.forEach(hop -> hops.add(new Latencies()));
        try (PreparedStatement edges = db.prepareStatement(
                "select p.id, pa.attempt, pa.finished_at, c.id, ca.attempt, c.ready_at, ca.dispatched_at, ca.started_at "
                        + SINGLE_PARENT_EDGES)) {
            edges.setObject(1, workflowId);
            try (ResultSet row = edges.executeQuery()) {
                while (row.next()) {
                    Instant eventSent = finishedSent.get(row.getString(1) + "/" + row.getInt(2));
                    Instant recordSent = dispatchSent.get(row.getString(4) + "/" + row.getInt(5));
                    if (eventSent == null || recordSent == null) {
                        continue;
                    }
                    Instant[] instants = {row.getTimestamp(3).toInstant(), eventSent, row.getTimestamp(6).toInstant(),
                        row.getTimestamp(7).toInstant(), recordSent, row.getTimestamp(8).toInstant()};
                    for (int hop = 0; hop < HOPS.size(); hop++) {
                        hops.get(hop).add(Duration.between(instants[hop], instants[hop + 1]).toNanos() / 1e6);
                    }
                }
            }
        }
        return hops;
    }

    /** Every record the topics hold now, read from the beginning without a consumer group. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, List<String> topicNames) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topicNames) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("reading the topics back took over 5 minutes");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
