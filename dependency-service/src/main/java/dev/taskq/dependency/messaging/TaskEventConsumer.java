package dev.taskq.dependency.messaging;

import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.TaskEvent;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.domain.TaskEventApplier;
import dev.taskq.dependency.domain.Wakeups;
import dev.taskq.dependency.persistence.DatabaseProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Consumes the workers' task events: each polled batch is applied in one transaction; if that fails, each
 * event is applied on its own so one bad record cannot block the others, and is skipped if it fails alone.
 */
@ApplicationScoped
public class TaskEventConsumer {

    private static final Logger LOG = Logger.getLogger(TaskEventConsumer.class);

    private final TaskEventApplier applier;
    private final DatabaseProbe database;
    private final ConsumerLoops loops;
    private final TopicNames topics;
    private final MeterRegistry registry;
    private final Wakeups wakeups;

    public TaskEventConsumer(
            TaskEventApplier applier,
            DatabaseProbe database,
            ConsumerLoops loops,
            TopicNames topics,
            MeterRegistry registry,
            Wakeups wakeups) {
        this.applier = applier;
        this.wakeups = wakeups;
        this.database = database;
        this.loops = loops;
        this.topics = topics;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        loops.start("task-events", topics.taskEvents(), this::handle);
    }

    void handle(List<ConsumerRecord<String, byte[]>> records) {
        List<TaskEvent> events = parse(records);
        if (events.isEmpty()) {
            return;
        }
        try {
            applier.applyAll(events);
        } catch (RuntimeException batchFailure) {
            LOG.warnf("A batch of %d task events failed (%s); applying them one by one", events.size(), batchFailure.getMessage());
            applyOneByOne(events);
        }
        if (events.stream().anyMatch(event -> !(event instanceof SessionLog))) {
            // The batch has committed: an ending may have freed a slot or queued dependents, and every state change
            // wrote an outbox row. Waking both loops here saves this replica the NOTIFY's round trip through Postgres
            // (the triggers still wake the other replicas).
            wakeups.release().signal();
            wakeups.relay().signal();
        }
    }

    private void applyOneByOne(List<TaskEvent> events) {
        for (TaskEvent event : events) {
            try {
                applier.apply(event);
            } catch (RuntimeException e) {
                if (!database.isReachable()) {
                    // Not the record's fault: have the whole batch delivered again once Postgres is back.
                    throw new IllegalStateException("the database is unreachable", e);
                }
                LOG.errorf(e, "Skipping %s of task %s attempt %d (sequence %d): it cannot be applied",
                        event.getClass().getSimpleName(), event.taskId(), event.attempt(), event.sequence());
                registry.counter("taskq.events.skipped", "reason", "failed").increment();
            }
        }
    }

    /**
     * Reads the records, skipping unreadable ones, and orders them by task (a stable sort, so each task keeps
     * its events in partition order): two batches that touch the same tasks then lock them in the same order.
     */
    private List<TaskEvent> parse(List<ConsumerRecord<String, byte[]>> records) {
        List<TaskEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                TaskEvent event = EventJson.fromBytes(record.value(), TaskEvent.class);
                if (event.taskId() == null) {
                    throw new IllegalArgumentException("no taskId");
                }
                events.add(event);
            } catch (RuntimeException e) {
                LOG.errorf("Skipping unreadable record at %s-%d offset %d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
                registry.counter("taskq.events.skipped", "reason", "unreadable").increment();
            }
        }
        events.sort(Comparator.comparing(TaskEvent::taskId));
        return events;
    }
}
