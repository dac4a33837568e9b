package dev.taskq.dependency.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of dependency-service: release, outbox relay, leases, topics and consumers. */
@ConfigMapping(prefix = "taskq.dependency")
public interface DependencyConfig {

    /**
     * How often the release loop looks for QUEUED tasks when no {@code taskq_ready} notification arrived;
     * the safety net for a notification lost while the listener reconnected.
     */
    @WithDefault("1s")
    Duration releaseInterval();

    /** Most QUEUED tasks claimed and dispatched in one transaction; the loop goes on while batches are full. */
    @WithDefault("200")
    int releaseBatchSize();

    /** How often the outbox relay looks for rows when no {@code taskq_outbox} notification arrived. */
    @WithDefault("500ms")
    Duration relayInterval();

    /** Most outbox rows published and deleted in one transaction. */
    @WithDefault("500")
    int relayBatchSize();

    /** How long the relay waits for Kafka to acknowledge a batch before it rolls back and retries. */
    @WithDefault("15s")
    Duration relaySendTimeout();

    /** Longest pause between relay retries; the pause doubles from 100 ms up to this while Kafka keeps failing. */
    @WithDefault("10s")
    Duration relayMaxBackoff();

    /**
     * How long an attempt stays owned by its worker without a heartbeat. A worker that dies is noticed
     * after at most this plus {@link #leaseCheckInterval()}, and its task is queued again.
     */
    @WithDefault("10s")
    Duration leaseDuration();

    /** How often expired leases are looked for (a Quarkus scheduler "every" expression; 1s is the shortest it honours). */
    @WithDefault("1s")
    String leaseCheckInterval();

    /** Most expired attempts handled in one transaction. */
    @WithDefault("100")
    int leaseCheckBatchSize();

    /** Pause before the Postgres LISTEN connection is opened again after it failed. */
    @WithDefault("1s")
    Duration listenReconnectDelay();

    Topics topics();

    Consumer consumer();

    /**
     * How often the fleet gauges (queue depth and age, live workers and slots, outbox backlog) are read from
     * Postgres (a Quarkus scheduler "every" expression). Scrapes read the last values and never query.
     */
    @WithDefault("5s")
    String metricsRefreshInterval();

    /** How long the Kafka readiness check waits for the cluster to answer. */
    @WithDefault("2s")
    Duration kafkaHealthTimeout();

    /** How the topics are created at startup when they are missing. */
    interface Topics {

        /** Partitions of every taskq topic; bounds how many workers and service replicas share a topic's load. */
        @WithDefault("4")
        int partitions();

        /** Replication factor of created topics; 1 suits a single local broker, use 3 in production. */
        @WithDefault("1")
        short replicationFactor();

        /** How long startup waits for Kafka to list and create topics before it fails. */
        @WithDefault("30s")
        Duration setupTimeout();
    }

    /** The consumers of task events and worker heartbeats. */
    interface Consumer {

        /** Most records applied in one transaction. */
        @WithDefault("500")
        int maxPollRecords();

        /** Pause before a batch that failed for lack of a database is read again. */
        @WithDefault("1s")
        Duration retryBackoff();
    }
}
