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
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private final OwnGroupReader reader;

    public DirectDispatchListener(KafkaClients clients, TopicNames topics, ConsumerGroups groups, WorkerIdentity identity,
            SessionSupervisor supervisor) {
        String workerId = identity.workerId();
        // Positions are committed once a dispatch is started or held in memory; a held dispatch lost with the process
        // is the dependency-service's to re-dispatch, like a session killed at shutdown.
        this.reader = new OwnGroupReader("direct-dispatch", clients, groups.workerDirect(workerId), "direct",
                topics.directDispatch(), true, records -> records.forEach(record -> offer(record, workerId, supervisor::admitOrHold)));
    }

    public void start() {
        reader.start();
    }

    /** Whether the consumer holds the topic's partitions with positions fixed, so a dispatch sent now is seen. */
    public boolean isListening() {
        return reader.isListening();
    }

    public void stop(Duration timeout) throws InterruptedException {
        reader.stop(timeout);
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
