package dev.taskq.notifier.testing;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.ScheduleRunFailedEvent;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.common.json.EventJson;
import dev.taskq.testsupport.KafkaTestResource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes task, workflow and schedule events as dependency-service's outbox relay does. */
public final class Events {

    private static KafkaProducer<String, byte[]> producer;

    private Events() {}

    public static TaskLifecycleEvent finished(UUID taskId, TaskStatus status, String reason) {
        return new TaskLifecycleEvent(UUID.randomUUID(), taskId, 1, status, reason, new BigDecimal("0.0123"), Instant.now(), null, null);
    }

    /** What dependency-service announces when a task's session asked a human {@code question}. */
    public static TaskLifecycleEvent waitingForInput(UUID taskId, String question) {
        return new TaskLifecycleEvent(UUID.randomUUID(), taskId, 2, TaskStatus.WAITING_FOR_INPUT,
                "waiting for an answer to: " + question, new BigDecimal("0.05"), Instant.now(), null, question);
    }

    public static void publish(TaskLifecycleEvent event) {
        send(LifecycleTopicResource.topics().taskLifecycle(), event.taskId().toString(), event);
    }

    /** As task-store's WorkflowProgress announces a workflow's outcome through the outbox. */
    public static void publish(WorkflowFinishedEvent event) {
        send(LifecycleTopicResource.topics().workflowLifecycle(), event.workflowId().toString(), event);
    }

    /** As the scheduler announces a failed run through the outbox. */
    public static void publish(ScheduleRunFailedEvent event) {
        send(LifecycleTopicResource.topics().scheduleRuns(), event.scheduleId().toString(), event);
    }

    private static synchronized void send(String topic, String key, Object event) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, EventJson.toBytes(event))).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
