package dev.taskq.notifier.messaging;

import dev.taskq.common.event.ScheduleRunFailedEvent;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.KafkaClientSecurity;
import dev.taskq.common.messaging.KafkaPollLoop;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.notifier.domain.DeliveryLoop;
import dev.taskq.notifier.domain.DeliveryPlanner;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes {@code task-lifecycle}, {@code workflow-lifecycle} and {@code schedule-runs} (one consumer each, in the
 * notifier's group): each polled batch becomes deliveries in one transaction, and the offsets are committed only after
 * it (a batch that fails is read again; its events create nothing twice).
 */
@ApplicationScoped
public class LifecycleConsumer {

    private static final Logger LOG = Logger.getLogger(LifecycleConsumer.class);

    private final DeliveryPlanner planner;
    private final DeliveryLoop deliveries;
    private final TopicNames topics;
    private final ConsumerGroups groups;
    private final NotifierConfig.Consumer config;
    private final String bootstrapServers;
    private final MeterRegistry meters;
    private final List<KafkaPollLoop> loops = new ArrayList<>();

    public LifecycleConsumer(DeliveryPlanner planner, DeliveryLoop deliveries, TopicNames topics, ConsumerGroups groups,
                             NotifierConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                             MeterRegistry meters) {
        this.planner = planner;
        this.deliveries = deliveries;
        this.topics = topics;
        this.groups = groups;
        this.config = config.consumer();
        this.bootstrapServers = bootstrapServers;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        loops.add(loop("task-lifecycle", topics.taskLifecycle(), this::handle));
        loops.add(loop("workflow-lifecycle", topics.workflowLifecycle(), this::handleWorkflows));
        loops.add(loop("schedule-runs", topics.scheduleRuns(), this::handleScheduleRuns));
        loops.forEach(KafkaPollLoop::start);
    }

    private KafkaPollLoop loop(String name, String topic, KafkaPollLoop.BatchHandler handler) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClientSecurity.with(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groups.notifier(),
                ConsumerConfig.CLIENT_ID_CONFIG, "notifier-service-" + name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords(),
                // dependency-service creates the topics with the right partition count.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                // TLS and SASL as the service's kafka.* settings give them.
                setting -> ConfigProvider.getConfig().getOptionalValue(setting, String.class)),
                new StringDeserializer(), new ByteArrayDeserializer());
        return new KafkaPollLoop(name + "-consumer", consumer, topic, handler, config.retryBackoff());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        for (KafkaPollLoop loop : loops) {
            loop.stop();
        }
    }

    void handle(List<ConsumerRecord<String, byte[]>> records) {
        List<TaskLifecycleEvent> events = read(records, TaskLifecycleEvent.class,
                event -> event.eventId() != null && event.taskId() != null && event.status() != null);
        if (planner.plan(events) > 0) {
            deliveries.wakeUp();
        }
    }

    void handleWorkflows(List<ConsumerRecord<String, byte[]>> records) {
        List<WorkflowFinishedEvent> events = read(records, WorkflowFinishedEvent.class,
                event -> event.eventId() != null && event.workflowId() != null && event.status() != null);
        if (planner.planWorkflows(events) > 0) {
            deliveries.wakeUp();
        }
    }

    void handleScheduleRuns(List<ConsumerRecord<String, byte[]>> records) {
        List<ScheduleRunFailedEvent> events = read(records, ScheduleRunFailedEvent.class,
                event -> event.eventId() != null && event.scheduleId() != null && event.kind() != null);
        if (planner.planScheduleRuns(events) > 0) {
            deliveries.wakeUp();
        }
    }

    /** The batch's readable events; an unreadable or incomplete record is logged, counted and skipped. */
    private <T> List<T> read(List<ConsumerRecord<String, byte[]>> records, Class<T> type, Predicate<T> complete) {
        List<T> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                T event = EventJson.fromBytes(record.value(), type);
                if (!complete.test(event)) {
                    throw new IllegalArgumentException("a required field is missing");
                }
                events.add(event);
            } catch (RuntimeException e) {
                skip(record, e);
            }
        }
        return events;
    }

    private void skip(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        LOG.errorf("Skipping unreadable record at %s-%d offset %d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        meters.counter("taskq.events.skipped", "reason", "unreadable").increment();
    }
}
