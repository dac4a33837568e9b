package dev.taskq.dependency.messaging;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class TopicSetupIT {

    @Inject
    Admin serviceAdmin;

    @Inject
    DependencyConfig config;

    @Test
    void everyTopicExistsWithTheConfiguredPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(TOPICS.all()).allTopicNames().get();

            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(TOPICS.all());
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(4));
        }
    }

    @Test
    void twoReplicasCreatingTheSameMissingTopicsAtOnceBothSucceed() throws Exception {
        TopicNames fresh = new TopicNames(KafkaTestResource.runPrefix() + "race-" + UUID.randomUUID() + ".");
        TopicSetup first = new TopicSetup(serviceAdmin, fresh, config);
        TopicSetup second = new TopicSetup(serviceAdmin, fresh, config);

        CompletableFuture.allOf(CompletableFuture.runAsync(first::ensureTopics), CompletableFuture.runAsync(second::ensureTopics)).join();

        assertThat(serviceAdmin.listTopics().names().get()).containsAll(fresh.all());
    }

    @Test
    void theServiceIsReadyWhenPostgresAndKafkaAnswer() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.name", hasItem("kafka"))
                .body("checks.name", hasItem("Database connections health check"));
    }
}
