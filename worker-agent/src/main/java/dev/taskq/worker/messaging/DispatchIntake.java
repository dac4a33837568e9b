package dev.taskq.worker.messaging;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.worker.config.ServedPools;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.session.ResourceMonitor;
import dev.taskq.worker.session.SessionSupervisor;
import dev.taskq.worker.session.SessionSupervisor.Admission;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The intake loop: one thread owns the dispatch consumer of the pools this worker serves and takes no more
 * dispatches than there are free slots, and none beyond the first session while the resource gate is closed. While
 * full or gated it pauses its partitions and keeps polling, so it stays in the group and never blocks on a session;
 * records it cannot take are sought back and left for later or for another worker. Workers of different pools share
 * one group, each subscribed to its own pools' topics.
 */
@ApplicationScoped
public class DispatchIntake {

    private static final Logger LOG = Logger.getLogger(DispatchIntake.class);
    /** How long a freed slot waits to learn which classes have dispatches waiting before it resumes every partition. */
    private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(1);

    private final KafkaClients clients;
    private final TopicNames topics;
    private final ConsumerGroups groups;
    private final SessionSupervisor supervisor;
    private final ResourceMonitor resources;
    private final Duration pollTimeout;
    private final Duration metadataMaxAge;
    private final Duration sessionTimeout;
    private final List<String> subscription;
    private final RestartingLoop loop;
    private volatile boolean running;

    public DispatchIntake(KafkaClients clients, TopicNames topics, ConsumerGroups groups, SessionSupervisor supervisor,
            ResourceMonitor resources, ServedPools pools, WorkerConfig config) {
        this.clients = clients;
        this.topics = topics;
        this.groups = groups;
        this.supervisor = supervisor;
        this.resources = resources;
        this.pollTimeout = config.intakePollTimeout();
        this.metadataMaxAge = config.intakeMetadataMaxAge();
        this.sessionTimeout = config.intakeSessionTimeout();
        this.subscription = pools.dispatchTopics(topics);
        this.loop = new RestartingLoop("dispatch-intake", this::consume);
    }

    public void start() {
        loop.start();
    }

    /** The dispatch topics the intake subscribes to: those of every pool this worker serves. */
    public List<String> subscription() {
        return subscription;
    }

    /** Whether the loop runs with a subscribed consumer. */
    public boolean isRunning() {
        return running;
    }

    /** Stops taking dispatches and closes the consumer, so the group hands its partitions to other workers. */
    public void stop(Duration timeout) throws InterruptedException {
        loop.stop(timeout);
    }

    private void consume() {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, supervisor.slots(),
                // A subscribed topic that does not exist yet is noticed only at the next metadata refresh.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) metadataMaxAge.toMillis(),
                // A full worker's consumer keeps heartbeating from its background thread, so only a dead or frozen
                // worker misses the session and loses its partitions; a third of it between heartbeats, as Kafka advises.
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1000, sessionTimeout.toMillis() / 3));
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(groups.workers(), "intake", settings)) {
            consumer.subscribe(subscription);
            running = true;
            LOG.infof("Taking dispatches from %s with %d slot(s)", subscription, supervisor.slots());
            BooleanSupplier gateAdmits = () -> resources.admitsAnother(supervisor.busySlots());
            Function<TaskDispatch, Admission> admit = gated(supervisor::admit, gateAdmits);
            while (!loop.stopRequested()) {
                // Full: wait for a session to end rather than for a poll of paused partitions to time out, so a
                // dispatch waiting in Kafka (a P0 released beyond the slots) starts the moment a slot frees.
                boolean stillFull = supervisor.freeSlots() == 0 && !awaitFreeSlot();
                if (supervisor.freeSlots() == 0 || !gateAdmits.getAsBoolean()) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    resumeMostUrgentWaiting(consumer, topics);
                }
                // Still full after a whole wait: a quick poll keeps the consumer in its group, then wait again.
                ConsumerRecords<String, byte[]> records = consumer.poll(stillFull ? Duration.ZERO : pollTimeout);
                if (!records.isEmpty()) {
                    take(consumer, records, topics, admit);
                }
            }
        } finally {
            running = false;
        }
    }

    /**
     * Resumes the paused partitions of the most urgent class that has a dispatch waiting at the broker, or all of them
     * when none waits; the rest are resumed on a later pass. A paused consumer keeps what it fetched before the pause
     * and hands that out first on resume, so resuming everything gave a freed slot to a lower-class dispatch fetched
     * long before, while a P0 released since (beyond the slot budget, to wait for exactly this slot) stayed unread.
     * Each partition's end offset against the consumer's position costs one ListOffsets request per freed slot of a
     * full worker.
     */
    static void resumeMostUrgentWaiting(Consumer<String, byte[]> consumer, TopicNames topics) {
        Set<TopicPartition> paused = consumer.paused();
        int mostUrgentWaiting;
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(paused, OFFSETS_TIMEOUT);
            int waiting = Integer.MAX_VALUE;
            for (TopicPartition partition : paused) {
                if (ends.getOrDefault(partition, 0L) > consumer.position(partition, OFFSETS_TIMEOUT)) {
                    waiting = Math.min(waiting, urgency(topics, partition.topic()));
                }
            }
            mostUrgentWaiting = waiting;
        } catch (KafkaException e) {
            LOG.debugf("Resuming every partition: their end offsets are unknown (%s)", e.getMessage());
            mostUrgentWaiting = Integer.MAX_VALUE;
        }
        int resumeUpTo = mostUrgentWaiting;
        consumer.resume(paused.stream().filter(partition -> urgency(topics, partition.topic()) <= resumeUpTo).toList());
    }

    /** Waits up to one poll timeout for a free slot; false if none came free (or the wait was interrupted). */
    private boolean awaitFreeSlot() {
        try {
            return supervisor.awaitFreeSlot(pollTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts the most urgent records first while slots are free; seeks back the rest; commits what it took. */
    static void take(Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records, TopicNames topics,
            Function<TaskDispatch, Admission> admit) {
        // Across pools too: a P0 of any served pool goes before a P1 of any other.
        List<TopicPartition> mostUrgentFirst = records.partitions().stream()
                .sorted(Comparator.comparing((TopicPartition partition) -> urgency(topics, partition.topic()))
                        .thenComparing(TopicPartition::topic)
                        .thenComparing(TopicPartition::partition))
                .toList();
        Map<TopicPartition, OffsetAndMetadata> taken = new HashMap<>();
        boolean full = false;
        for (TopicPartition partition : mostUrgentFirst) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (full || !offer(record, admit)) {
                    full = true;
                    consumer.seek(partition, record.offset());
                    break;
                }
                taken.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        if (!taken.isEmpty()) {
            try {
                consumer.commitSync(taken);
            } catch (KafkaException e) {
                // The group moved on: these dispatches may be redelivered to another worker, which then runs
                // them too. The attempt number lets the dependency-service keep only the current attempt.
                LOG.warnf("Could not commit taken dispatches %s: %s", taken, e.getMessage());
            }
        }
    }

    /**
     * Admits through {@code admit} only while the gate lets another session start; otherwise the record is left for
     * later like one without a free slot. Asked per record, as one poll may bring several.
     */
    static Function<TaskDispatch, Admission> gated(Function<TaskDispatch, Admission> admit, BooleanSupplier gateAdmits) {
        return dispatch -> gateAdmits.getAsBoolean() ? admit.apply(dispatch) : Admission.NO_FREE_SLOT;
    }

    /** Returns false when the record must be left for later (no free slot); true when it was dealt with. */
    private static boolean offer(ConsumerRecord<String, byte[]> record, Function<TaskDispatch, Admission> admit) {
        TaskDispatch dispatch;
        try {
            dispatch = record.value() == null ? null : EventJson.fromBytes(record.value(), TaskDispatch.class);
        } catch (RuntimeException e) {
            LOG.errorf("Skipping an unreadable dispatch at %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return true;
        }
        if (dispatch == null || dispatch.taskId() == null) {
            LOG.errorf("Skipping a dispatch without a task at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return true;
        }
        Admission admission = admit.apply(dispatch);
        switch (admission) {
            case STARTED -> LOG.infof("Started task %s attempt %d from %s", dispatch.taskId(), dispatch.attempt(), record.topic());
            case ALREADY_SEEN -> LOG.infof("Ignoring a redelivered dispatch of task %s attempt %d",
                    dispatch.taskId(), dispatch.attempt());
            case CANCELLED_BEFORE_START -> LOG.infof("Not starting task %s attempt %d: it was cancelled",
                    dispatch.taskId(), dispatch.attempt());
            case NO_FREE_SLOT, SHUTTING_DOWN -> {
                return false;
            }
            // Only direct dispatches are held; the shared topics never offer one.
            case HELD -> LOG.infof("Holding task %s attempt %d for a free slot", dispatch.taskId(), dispatch.attempt());
        }
        return true;
    }

    private static int urgency(TopicNames topics, String topic) {
        PriorityClass priorityClass = topics.priorityOfDispatchTopic(topic);
        return priorityClass == null ? Integer.MAX_VALUE : priorityClass.ordinal();
    }

}
