package dev.taskq.notifier.testing;

import dev.taskq.common.messaging.TopicNames;
import dev.taskq.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates this JVM's task-lifecycle, workflow-lifecycle and schedule-runs topics before the notifier subscribes
 * (dependency-service does so in a stack).
 */
public class LifecycleTopicResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers()))) {
            for (String topic : List.of(topics().taskLifecycle(), topics().workflowLifecycle(), topics().scheduleRuns())) {
                create(admin, topic);
            }
        }
        return Map.of();
    }

    private static void create(Admin admin, String topic) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {}

    public static TopicNames topics() {
        return new TopicNames(KafkaTestResource.runPrefix());
    }
}
