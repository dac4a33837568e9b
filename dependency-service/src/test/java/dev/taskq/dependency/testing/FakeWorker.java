package dev.taskq.dependency.testing;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.SessionCheckpointed;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.SessionResult;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskEvent;
import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.testsupport.KafkaTestResource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends what a worker-agent would: task events keyed by task id and heartbeats keyed by worker id. */
public final class FakeWorker implements AutoCloseable {

    public static final TopicNames TOPICS = new TopicNames(KafkaTestResource.runPrefix());

    private final String workerId;
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG, 0),
            new StringSerializer(), new ByteArraySerializer());
    private long sequence;

    public FakeWorker(String workerId) {
        this.workerId = workerId;
    }

    public String id() {
        return workerId;
    }

    public void started(UUID taskId, int attempt) {
        send(new SessionStarted(taskId, attempt, workerId, ++sequence, Instant.now(), 4242, UUID.randomUUID(), "host-" + workerId));
    }

    /** Sends lines {@code first..last} of an attempt as one batch. */
    public void log(UUID taskId, int attempt, long first, long last) {
        List<LogLine> lines = LongStream.rangeClosed(first, last)
                .mapToObj(n -> new LogLine(n, Instant.now(), LogKind.ASSISTANT, "line " + n))
                .toList();
        send(new SessionLog(taskId, attempt, workerId, ++sequence, Instant.now(), lines));
    }

    public void succeeded(UUID taskId, int attempt, String resultSessionId) {
        SessionResult result = new SessionResult("success", false, 3, new BigDecimal("0.012345"),
                EventJson.mapper().createObjectNode().put("input_tokens", 10).put("output_tokens", 20),
                null, resultSessionId, "hello", null, 1234L);
        send(new SessionFinished(taskId, attempt, workerId, ++sequence, Instant.now(), SessionOutcome.SUCCEEDED, null, 0, result, null, null, null));
    }

    public void failed(UUID taskId, int attempt, String reason) {
        send(new SessionFinished(taskId, attempt, workerId, ++sequence, Instant.now(), SessionOutcome.FAILED, reason, 1, null, null, null, null));
    }

    /**
     * The session asked a human {@code question} (through the worker's AskHuman tool) and ended its turn; its result
     * names {@code resultSessionId} and cost $0.05.
     */
    public void waitingForInput(UUID taskId, int attempt, String question, String resultSessionId, Checkpoint checkpoint) {
        SessionResult result = new SessionResult("success", false, 4, new BigDecimal("0.05"), null, null, resultSessionId,
                "I need to know which database to target.", null, 2000L);
        send(new SessionFinished(taskId, attempt, workerId, ++sequence, Instant.now(), SessionOutcome.WAITING_FOR_INPUT,
                null, 0, result, checkpoint, null, question));
    }

    /** The worker was shut down, stopped the session when its grace period ran out, and hands the attempt back. */
    public void handedBack(UUID taskId, int attempt, Checkpoint checkpoint) {
        send(new SessionFinished(taskId, attempt, workerId, ++sequence, Instant.now(), SessionOutcome.FAILED,
                "worker shutting down: session stopped after the drain grace period", 143, null, checkpoint,
                FailureCause.DRAINED, null));
    }

    /** A periodic checkpoint of a running session. */
    public void checkpointed(UUID taskId, int attempt, Checkpoint checkpoint) {
        send(new SessionCheckpointed(taskId, attempt, workerId, ++sequence, Instant.now(), checkpoint));
    }

    public void heartbeat(List<AttemptRef> running) {
        heartbeat(4, List.of("default"), running);
    }

    /** A heartbeat offering {@code slots} session slots to the given pools. */
    public void heartbeat(int slots, List<String> pools, List<AttemptRef> running) {
        heartbeat(slots, pools, running, null);
    }

    /** A heartbeat that also reports the worker's host readings ({@code null}: a worker older than the gate). */
    public void heartbeat(int slots, List<String> pools, List<AttemptRef> running, WorkerHeartbeat.Resources resources) {
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(
                workerId, "host-" + workerId, Instant.now(), slots, running.size(), pools, running, resources);
        send(TOPICS.workerHeartbeats(), workerId, EventJson.toBytes(heartbeat));
    }

    public void send(TaskEvent event) {
        send(TOPICS.taskEvents(), event.taskId().toString(), EventJson.toBytes(event));
    }

    /** Sends raw bytes, e.g. a record no consumer can read. */
    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
