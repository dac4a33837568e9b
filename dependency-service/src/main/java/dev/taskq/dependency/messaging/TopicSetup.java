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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates every taskq topic that does not exist yet, before anything in the service produces or consumes; a pool's
 * dispatch topics are created the first time the pool is seen (in a heartbeat, or before a dispatch to it).
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    private final Admin admin;
    private final TopicNames topics;
    private final DependencyConfig.Topics config;
    // Pools whose topics this replica created or found; only a Kafka round trip is saved, so a restart may forget.
    private final Set<String> poolsWithTopics = ConcurrentHashMap.newKeySet();
    private final Set<String> poolsWarnedAbout = ConcurrentHashMap.newKeySet();

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
        ensure(topics.all());
        poolsWithTopics.add(TopicNames.DEFAULT_POOL);
    }

    /** Whether this replica has made sure the pool's dispatch topics exist; asks nothing of Kafka. */
    public boolean hasPoolTopics(String pool) {
        return pool == null || poolsWithTopics.contains(pool);
    }

    /**
     * Creates the pool's dispatch topics, with the same partitions and replication as the others, unless this
     * replica already did; idempotent like {@link #ensureTopics()}. Returns false when Kafka cannot create them
     * (down, or a pool name that is no legal topic name), logged once per pool at WARN.
     */
    public boolean ensurePoolTopics(String pool) {
        if (pool == null || poolsWithTopics.contains(pool)) {
            return true;
        }
        try {
            ensure(topics.dispatchTopicsByPriority(pool));
        } catch (IllegalStateException e) {
            // Asked again on every release pass and heartbeat: one warning per pool is enough.
            if (poolsWarnedAbout.add(pool)) {
                LOG.warnf("Cannot create the dispatch topics of pool %s; its tasks stay QUEUED until Kafka can: %s",
                        pool, e.getMessage());
            } else {
                LOG.debugf("Still cannot create the dispatch topics of pool %s: %s", pool, e.getMessage());
            }
            return false;
        }
        poolsWithTopics.add(pool);
        poolsWarnedAbout.remove(pool);
        return true;
    }

    private void ensure(List<String> names) {
        long timeoutMillis = config.setupTimeout().toMillis();
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = names.stream()
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
