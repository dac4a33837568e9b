package dev.taskq.worker.messaging;

import dev.taskq.common.messaging.TopicNames;
import dev.taskq.worker.config.ServedPools;
import dev.taskq.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the topics this worker reads when they are missing, best effort: a pool's topics may not exist yet when
 * its first worker starts (the dependency-service creates only the fixed ones). Failing here never stops the worker;
 * the intake picks a topic up whenever it appears.
 */
@ApplicationScoped
public class WorkerTopics {

    private static final Logger LOG = Logger.getLogger(WorkerTopics.class);

    private final KafkaClients clients;
    private final List<String> wanted;
    private final WorkerConfig.Topics config;

    public WorkerTopics(KafkaClients clients, TopicNames topics, ServedPools pools, WorkerConfig config) {
        this.clients = clients;
        List<String> names = new ArrayList<>(pools.dispatchTopics(topics));
        names.add(topics.directDispatch());
        this.wanted = List.copyOf(names);
        this.config = config.topics();
    }

    /** The topics this worker reads: its pools' dispatch topics and the direct topic. */
    public List<String> wanted() {
        return wanted;
    }

    /** Creates whichever of {@link #wanted()} the broker does not list; logs and returns on any failure. */
    public void ensureExist() {
        Duration timeout = config.setupTimeout();
        try (Admin admin = clients.admin(timeout)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, Optional.of(config.partitions()), config.replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                report(created.getKey(), created.getValue(), timeout);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not check this worker's topics %s: %s; they are consumed once they exist", wanted, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(String topic, KafkaFuture<Void> creation, Duration timeout) throws InterruptedException {
        try {
            creation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("Created topic %s with %d partitions", topic, config.partitions());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopicExistsException) {
                // Another worker or the dependency-service created it meanwhile.
                LOG.debugf("Topic %s was created meanwhile", topic);
            } else if (cause instanceof TopicAuthorizationException || cause instanceof ClusterAuthorizationException) {
                LOG.infof("Not allowed to create topic %s; the dependency-service or an operator must create it", topic);
            } else {
                LOG.warnf("Could not create topic %s: %s", topic, cause == null ? e.getMessage() : cause.getMessage());
            }
        } catch (TimeoutException e) {
            LOG.warnf("Creating topic %s took longer than %s", topic, timeout);
        }
    }
}
