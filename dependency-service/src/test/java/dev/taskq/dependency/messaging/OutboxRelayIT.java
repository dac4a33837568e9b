package dev.taskq.dependency.messaging;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.json.EventJson;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class OutboxRelayIT {

    @Test
    void aRowCommittedByAnotherTransactionIsPublishedToItsTopicAndDeleted() {
        UUID taskId = UUID.randomUUID();
        WorkerCommand command = new WorkerCommand(WorkerCommand.Type.CANCEL, taskId, 1, "cancelled by a user", Instant.now());

        try (KafkaProbe commands = KafkaProbe.on(TOPICS.workerCommands())) {
            long id = TaskRows.insertOutboxRow(TOPICS.workerCommands(), taskId.toString(), EventJson.toJson(command));

            await().untilAsserted(() -> assertThat(commands.recordsWithKey(taskId.toString()))
                    .singleElement()
                    .satisfies(record -> assertThat(new String(record.value(), StandardCharsets.UTF_8))
                            .isEqualTo(EventJson.toJson(command))));
            await().until(() -> TestDatabase.count("select count(*) from outbox where id = ?", id) == 0);
        }
    }
}
