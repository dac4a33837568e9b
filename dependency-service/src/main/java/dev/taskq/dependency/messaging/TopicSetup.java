package dev.taskq.dependency.messaging;

import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/** Creates every taskq topic that does not exist yet, before anything in the service produces or consumes. */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    private final Admin admin;
    private final TopicNames topics;
    private final DependencyConfig.Topics config;

    public TopicSetup(Admin admin, TopicNames topics, DependencyConfig config) {
        this.admin = admin;
        this.topics = topics;
        this.config = config.topics();
    }

    // Before the default priority of the loops' startup observers, which need the topics.
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        ensureTopics();
    }

    /** Idempotent, also when several replicas start at once: a topic another one just created counts as done. */
    public void ensureTopics() {
        long timeoutMillis = config.setupTimeout().toMillis();
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics.all().stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, config.partitions(), config.replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(timeoutMillis, TimeUnit.MILLISECONDS);
                    LOG.infof("Created topic %s with %d partitions", created.getKey(), config.partitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the Kafka topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the Kafka topics", e);
        }
    }
}
