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

    /** How much ready work release hands to Kafka, and which workers count as capacity. */
    Release release();

    /** How waiting raises the effective priority of QUEUED tasks. */
    Aging aging();

    /** How a dispatch stuck behind a full worker is re-sent to a worker of its pool that has a free slot. */
    Rescue dispatchRescue();

    /** How long finished tasks and their log lines are kept. */
    Retention retention();

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

    /**
     * Capacity-bounded release: Kafka only ever holds about as much work as the fleet can start, so the order in
     * which work starts is decided in Postgres (by effective priority, then readiness) and not by what was
     * published first.
     */
    interface Release {

        /**
         * When true, a pool is released only up to the free slots of the live workers serving it (plus
         * {@link #margin()}); a pool no live worker serves gets nothing. When false, every QUEUED task is released
         * as soon as it is ready, whatever the fleet can take.
         */
        @WithDefault("true")
        boolean capacityBounded();

        /**
         * Dispatch records allowed per pool beyond its free slots. A worker that finishes a session then finds the
         * next one already waiting in Kafka instead of waiting a whole release round trip (finish event, commit,
         * release, relay). Kept small because a published record is out of Postgres's reach: an urgent task
         * submitted later can overtake at most this many records of its own priority class.
         */
        @WithDefault("2")
        int margin();

        /**
         * Dispatch records allowed per pool beyond its free slots and {@link #margin()} for P0 tasks (by effective
         * priority) alone. A P0 then waits in Kafka, on the topic every worker of the pool reads first, and starts at
         * the next slot that frees on any of them, instead of waiting for that slot's finish event to reach Postgres
         * and come back as a release. 0 keeps P0 tasks within the margin like the rest.
         */
        @WithDefault("4")
        int urgentOvercommit();

        /**
         * A worker counts as capacity while its last heartbeat is this recent. Workers beat every 3 s by default, so
         * 10 s tolerates two lost beats; it equals the default lease, so a worker that no longer holds its attempts
         * no longer counts as capacity either.
         */
        @WithDefault("10s")
        Duration workerLiveness();
    }

    /**
     * Priority aging: a QUEUED task gains one level of effective priority per {@link #step()} of waiting, up to 10,
     * so no task waits for ever behind a stream of more urgent work.
     */
    interface Aging {

        /**
         * Waiting time per level: effective = min(10, priority + floor(wait / step)). With 10 min, a priority-1 task
         * reaches 10 after 90 min and from then on goes before every task that became ready after it.
         */
        @WithDefault("10m")
        Duration step();

        /** How often aging runs (also read by the scheduler, so use its "every" syntax); a task is raised at most this late. */
        @WithDefault("1m")
        Duration interval();

        /** Most tasks raised in one transaction, so release is never held back long by rows aging locks. */
        @WithDefault("1000")
        int batchSize();
    }

    /**
     * Dispatch rescue: workers share each dispatch partition through one consumer group, and a full worker pauses its
     * partitions, so a dispatch that lands on one waits for that worker's next free slot even while another worker of
     * the pool idles. A dispatch left unstarted for {@link #after()} while a live worker of its pool reports a free
     * slot is withdrawn (its attempt closed, its worker told to cancel it) and sent to that worker on the direct topic
     * as a new attempt, which does not count against the task's attempts.
     */
    interface Rescue {

        /** Whether the rescue runs at all. */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a dispatch may wait unstarted before it is re-sent. A dispatch in the partition of a worker with a
         * free slot starts within milliseconds, so anything older waits behind a full (or gated) worker, or a
         * rebalance. Much longer than the heartbeat period, so a free slot seen in a heartbeat is not one the worker
         * is about to fill from its own partitions.
         */
        @WithDefault("10s")
        Duration after();

        /** How often stuck dispatches are looked for (a Quarkus scheduler "every" expression; at least 1s). */
        @WithDefault("2s")
        String interval();

        /** Most dispatches re-sent in one transaction; the pass goes on while batches are full. */
        @WithDefault("50")
        int batchSize();
    }

    /** How the topics are created at startup when they are missing. */
    /**
     * Retention: the log lines of a finished task go first (they are most of what a task stores), the task itself later.
     * A task is kept, whatever its age, while another task depends on it or a schedule points at it as its latest run;
     * a workflow's tasks go together with the workflow, once it finished before the cut-off.
     */
    interface Retention {

        /** How long after a task finished its log lines are deleted; 0 keeps them for ever. */
        @WithDefault("30d")
        Duration taskLogs();

        /** How long after a task finished it is deleted with its attempts, logs, questions and notify entries; 0 keeps it. */
        @WithDefault("90d")
        Duration tasks();

        /** How often the sweep runs (a Quarkus scheduler "every" expression; it first runs one interval after start). */
        @WithDefault("10m")
        String interval();

        /** Most tasks (or workflows) one transaction of the sweep deletes from. */
        @WithDefault("500")
        int batchSize();
    }

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
