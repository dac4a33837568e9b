package dev.taskq.worker.messaging;

import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.session.SessionSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Listens to the broadcast command topic in a consumer group of its own, so every worker sees every command,
 * starting from the latest: commands sent while a worker was down concern attempts it no longer runs.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);

    private final OwnGroupReader reader;

    public CommandListener(
            KafkaClients clients, TopicNames topics, ConsumerGroups groups, WorkerIdentity identity, SessionSupervisor supervisor) {
        // Positions are never committed: after a restart, commands sent meanwhile concern attempts it no longer runs.
        this.reader = new OwnGroupReader("worker-commands", clients, groups.workerCommands(identity.workerId()), "commands",
                topics.workerCommands(), false, records -> records.forEach(record -> handle(record, supervisor)));
    }

    public void start() {
        reader.start();
    }

    /** Whether the consumer holds its partitions with positions fixed, so a command sent now is seen. */
    public boolean isListening() {
        return reader.isListening();
    }

    public void stop(Duration timeout) throws InterruptedException {
        reader.stop(timeout);
    }

    private static void handle(ConsumerRecord<String, byte[]> record, SessionSupervisor supervisor) {
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
