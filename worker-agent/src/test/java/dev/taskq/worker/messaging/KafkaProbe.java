package dev.taskq.worker.messaging;

import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.event.TaskEvent;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plays the other services in worker tests: publishes dispatches and commands, collects events and heartbeats. */
public final class KafkaProbe implements AutoCloseable {

    private final TopicNames topics;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private final List<WorkerHeartbeat> heartbeats = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    private KafkaProbe(String bootstrapServers, TopicNames topics) {
        this.topics = topics;
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.taskEvents(), topics.workerHeartbeats()));
        this.reader = Thread.ofPlatform().name("kafka-probe").daemon().start(this::read);
    }

    public static KafkaProbe start(String bootstrapServers, TopicNames topics) {
        return new KafkaProbe(bootstrapServers, topics);
    }

    public void dispatch(TaskDispatch dispatch) {
        dispatch(PriorityClass.P2, dispatch);
    }

    public void dispatch(PriorityClass priorityClass, TaskDispatch dispatch) {
        send(topics.dispatch(priorityClass), dispatch.taskId().toString(), EventJson.toBytes(dispatch));
    }

    /** Publishes to a pool's P2 topic, as the dependency-service releases a task of that pool. */
    public void dispatchToPool(String pool, TaskDispatch dispatch) {
        send(topics.dispatch(pool, PriorityClass.P2), dispatch.taskId().toString(), EventJson.toBytes(dispatch));
    }

    /** Publishes to the direct topic, which every worker reads and only the dispatch's target runs. */
    public void dispatchDirect(TaskDispatch dispatch) {
        send(topics.directDispatch(), dispatch.taskId().toString(), EventJson.toBytes(dispatch));
    }

    public void cancel(UUID taskId, int attempt, String reason) {
        WorkerCommand command = new WorkerCommand(WorkerCommand.Type.CANCEL, taskId, attempt, reason, Instant.now());
        send(topics.workerCommands(), taskId.toString(), EventJson.toBytes(command));
    }

    /** The events of one attempt seen so far, in arrival order. */
    public List<TaskEvent> events(UUID taskId, int attempt) {
        List<TaskEvent> found = new ArrayList<>();
        for (TaskEvent event : events) {
            if (event.taskId().equals(taskId) && event.attempt() == attempt) {
                found.add(event);
            }
        }
        return found;
    }

    public Optional<SessionStarted> started(UUID taskId, int attempt) {
        return events(taskId, attempt).stream()
                .filter(SessionStarted.class::isInstance).map(SessionStarted.class::cast).findFirst();
    }

    public Optional<SessionFinished> finished(UUID taskId, int attempt) {
        return events(taskId, attempt).stream()
                .filter(SessionFinished.class::isInstance).map(SessionFinished.class::cast).findFirst();
    }

    public SessionStarted awaitStarted(UUID taskId, int attempt, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> started(taskId, attempt), Optional::isPresent).orElseThrow();
    }

    public SessionFinished awaitFinished(UUID taskId, int attempt, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> finished(taskId, attempt), Optional::isPresent).orElseThrow();
    }

    public List<WorkerHeartbeat> heartbeats() {
        return List.copyOf(heartbeats);
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    private void read() {
        while (!closed) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.topic().equals(topics.taskEvents())) {
                    events.add(EventJson.fromBytes(record.value(), TaskEvent.class));
                } else {
                    heartbeats.add(EventJson.fromBytes(record.value(), WorkerHeartbeat.class));
                }
            }
        }
        consumer.close();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.join(Duration.ofSeconds(5));
        producer.close();
    }
}
