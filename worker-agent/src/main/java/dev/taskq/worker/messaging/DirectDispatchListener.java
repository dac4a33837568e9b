package dev.taskq.worker.messaging;

import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.session.SessionSupervisor;
import dev.taskq.worker.session.SessionSupervisor.Admission;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads the direct dispatch topic and runs the records targeted at this worker (resumes: only this worker holds
 * the transcript); every other worker's records are skipped. A targeted dispatch is started at once or held until
 * a slot frees, never handed back.
 *
 * <p>Every worker must see every record, so each reads in a consumer group of its own,
 * {@code <group prefix>worker-direct.<worker id>}, rather than the shared one, which would hand each record to a
 * single, probably wrong, worker. A group (rather than manual assignment) keeps the position in Kafka: a consumer
 * restarted after an error, or a worker restarted under the same configured id, goes on where it stopped instead of
 * skipping what arrived meanwhile. A new group starts at the latest offset: older records target other workers or
 * an earlier life of this one.
 */
@ApplicationScoped
public class DirectDispatchListener {

    private static final Logger LOG = Logger.getLogger(DirectDispatchListener.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final KafkaClients clients;
    private final TopicNames topics;
    private final String groupId;
    private final String workerId;
    private final SessionSupervisor supervisor;
    private final RestartingLoop loop;
    private volatile boolean listening;

    public DirectDispatchListener(KafkaClients clients, TopicNames topics, ConsumerGroups groups, WorkerIdentity identity,
            SessionSupervisor supervisor) {
        this.clients = clients;
        this.topics = topics;
        this.groupId = groups.prefix() + "worker-direct." + identity.workerId();
        this.workerId = identity.workerId();
        this.supervisor = supervisor;
        this.loop = new RestartingLoop("direct-dispatch", this::consume);
    }

    public void start() {
        loop.start();
    }

    /** Whether the consumer holds the topic's partitions with positions fixed, so a dispatch sent now is seen. */
    public boolean isListening() {
        return listening;
    }

    public void stop(Duration timeout) throws InterruptedException {
        loop.stop(timeout);
    }

    private void consume() {
        Map<String, Object> settings = Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(groupId, "direct", settings)) {
            consumer.subscribe(List.of(topics.directDispatch()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Resolving "latest" now fixes where reading starts; a dispatch sent after this is seen.
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
                records.forEach(record -> offer(record, workerId, supervisor::admitOrHold));
                try {
                    // Taken means started or held in memory; a held dispatch lost with the process is the
                    // dependency-service's to re-dispatch, like a session killed at shutdown.
                    consumer.commitSync();
                } catch (KafkaException e) {
                    LOG.warnf("Could not commit read direct dispatches: %s", e.getMessage());
                }
            }
        } finally {
            listening = false;
        }
    }

    /** Runs (or holds) the record's dispatch if it targets {@code workerId}; skips it otherwise. */
    static void offer(ConsumerRecord<String, byte[]> record, String workerId, Function<TaskDispatch, Admission> admitOrHold) {
        TaskDispatch dispatch;
        try {
            dispatch = record.value() == null ? null : EventJson.fromBytes(record.value(), TaskDispatch.class);
        } catch (RuntimeException e) {
            LOG.errorf("Skipping an unreadable direct dispatch at %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (dispatch == null || dispatch.taskId() == null) {
            LOG.errorf("Skipping a direct dispatch without a task at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return;
        }
        if (!workerId.equals(dispatch.targetWorkerId())) {
            if (dispatch.targetWorkerId() == null) {
                LOG.warnf("Skipping direct dispatch of task %s attempt %d: it names no target worker",
                        dispatch.taskId(), dispatch.attempt());
            } else {
                LOG.debugf("Skipping task %s attempt %d: it is for worker %s",
                        dispatch.taskId(), dispatch.attempt(), dispatch.targetWorkerId());
            }
            return;
        }
        Admission admission = admitOrHold.apply(dispatch);
        switch (admission) {
            case STARTED -> LOG.infof("Started task %s attempt %d sent to this worker", dispatch.taskId(), dispatch.attempt());
            case HELD -> LOG.infof("Holding task %s attempt %d sent to this worker until a slot frees",
                    dispatch.taskId(), dispatch.attempt());
            case ALREADY_SEEN -> LOG.infof("Ignoring a redelivered dispatch of task %s attempt %d",
                    dispatch.taskId(), dispatch.attempt());
            case CANCELLED_BEFORE_START -> LOG.infof("Not starting task %s attempt %d: it was cancelled",
                    dispatch.taskId(), dispatch.attempt());
            case SHUTTING_DOWN -> LOG.infof("Not starting task %s attempt %d: the worker is shutting down",
                    dispatch.taskId(), dispatch.attempt());
            case NO_FREE_SLOT -> LOG.errorf("Task %s attempt %d was neither started nor held", dispatch.taskId(), dispatch.attempt());
        }
    }
}
