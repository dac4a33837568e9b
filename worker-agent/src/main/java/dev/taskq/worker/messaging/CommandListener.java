package dev.taskq.worker.messaging;

import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.session.SessionSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Listens to the broadcast command topic in a consumer group of its own, so every worker sees every command,
 * starting from the latest: commands sent while a worker was down concern attempts it no longer runs.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final KafkaClients clients;
    private final TopicNames topics;
    private final String groupId;
    private final SessionSupervisor supervisor;
    private volatile boolean listening;
    private final RestartingLoop loop;

    public CommandListener(
            KafkaClients clients, TopicNames topics, ConsumerGroups groups, WorkerIdentity identity, SessionSupervisor supervisor) {
        this.clients = clients;
        this.topics = topics;
        this.groupId = groups.prefix() + "worker-commands." + identity.workerId();
        this.supervisor = supervisor;
        this.loop = new RestartingLoop("worker-commands", this::consume);
    }

    public void start() {
        loop.start();
    }

    /** Whether the consumer holds its partitions with positions fixed, so a command sent now is seen. */
    public boolean isListening() {
        return listening;
    }

    public void stop(Duration timeout) throws InterruptedException {
        loop.stop(timeout);
    }

    private void consume() {
        Map<String, Object> settings = Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(groupId, "commands", settings)) {
            consumer.subscribe(List.of(topics.workerCommands()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Resolving "latest" now fixes where listening starts; a command sent after this is seen.
                    partitions.forEach(consumer::position);
                    listening = true;
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
            });
            while (!loop.stopRequested()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    handle(record);
                }
            }
        } finally {
            listening = false;
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        WorkerCommand command;
        try {
            command = EventJson.fromBytes(record.value(), WorkerCommand.class);
        } catch (RuntimeException e) {
            LOG.errorf("Skipping an unreadable worker command at offset %d: %s", record.offset(), e.getMessage());
            return;
        }
        if (command.type() == WorkerCommand.Type.CANCEL && command.taskId() != null) {
            supervisor.cancel(command);
        }
    }
}
