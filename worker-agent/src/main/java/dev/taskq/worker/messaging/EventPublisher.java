package dev.taskq.worker.messaging;

import dev.taskq.common.event.TaskEvent;
import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/** Publishes the worker's task events (keyed by task id) and heartbeats (keyed by worker id). */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final TopicNames topics;

    public EventPublisher(KafkaClients clients, TopicNames topics) {
        this.producer = clients.eventProducer();
        this.topics = topics;
    }

    /** Sends without waiting; events of one task keep their order because they share a key and partition. */
    public Future<RecordMetadata> publish(TaskEvent event) {
        var record = new ProducerRecord<>(topics.taskEvents(), event.taskId().toString(), EventJson.toBytes(event));
        return producer.send(record, (metadata, error) -> {
            if (error != null) {
                LOG.errorf(error, "Could not publish %s event %d of task %s attempt %d",
                        event.getClass().getSimpleName(), event.sequence(), event.taskId(), event.attempt());
            }
        });
    }

    public void publishHeartbeat(WorkerHeartbeat heartbeat) {
        var record = new ProducerRecord<>(topics.workerHeartbeats(), heartbeat.workerId(), EventJson.toBytes(heartbeat));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                LOG.warnf("Could not publish a heartbeat: %s", error.getMessage());
            }
        });
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
