package dev.taskq.dependency.metrics;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.dependency.config.DependencyConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Gauges of the whole fleet read from Postgres: queue depth and oldest-ready age by priority class and pool, tasks
 * waiting for a human's answer and the oldest question's age by pool, live workers and their slots by pool, and the
 * outbox backlog. One periodic refresh runs four aggregate queries (the queue's, which grows with the backlog, with
 * the waiting tasks' at most 2% of the time); a scrape only reads the values, so scrape rate and series count add no
 * database load.
 */
@ApplicationScoped
public class FleetGauges {

    private static final Logger LOG = Logger.getLogger(FleetGauges.class);

    // Served by tasks_release_order_idx (partial on status = 'QUEUED').
    private static final String QUEUED = """
            select priority, pool, count(*), coalesce(extract(epoch from (now() - min(ready_at))), 0)
            from tasks where status = 'QUEUED' group by priority, pool""";
    // A worker counts as alive while its last heartbeat is within one lease: the same rule that keeps its attempts.
    private static final String WORKERS = """
            select p.pool, count(*), sum(w.slots), sum(w.busy_slots)
            from workers w cross join lateral unnest(w.pools) as p(pool)
            where w.last_seen_at > now() - make_interval(secs => ?)
            group by p.pool""";
    // Served by tasks_status_created_idx (status first); tasks waiting for a human are few, and the question row is
    // found by its primary key. The age counts from the question, not from the task's last update.
    private static final String WAITING_FOR_INPUT = """
            select t.pool, count(*), coalesce(extract(epoch from (now() - min(q.asked_at))), 0)
            from tasks t left join task_questions q on q.task_id = t.id and q.attempt = t.current_attempt
            where t.status = 'WAITING_FOR_INPUT' group by t.pool""";
    private static final String OUTBOX = "select count(*) from outbox";
    // The queue query counts every QUEUED row: cheap for a normal queue, about half a second of database time for a
    // backlog of a million. Its refreshes are spaced so that it takes at most this share of the time (then the depth
    // gauges of such a backlog are some 25 s old at worst, instead of costing the release path a tenth of the CPU).
    private static final double QUEUE_QUERY_SHARE = 0.02;

    private final AgroalDataSource dataSource;
    private final MeterRegistry registry;
    private final DependencyConfig config;
    private final boolean enabled;
    private final Map<String, AtomicLong> longs = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ages = new ConcurrentHashMap<>();
    private final DutyCycle queueQuery = new DutyCycle(QUEUE_QUERY_SHARE);

    public FleetGauges(AgroalDataSource dataSource, MeterRegistry registry, DependencyConfig config,
            @ConfigProperty(name = "taskq.metrics.enabled", defaultValue = "true") boolean enabled) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.config = config;
        this.enabled = enabled;
        // The default pool's series exist from the start, so dashboards show 0 rather than "no data".
        for (PriorityClass priorityClass : PriorityClass.values()) {
            queueGauges(priorityClass.name(), "default");
        }
        workerGauges("default");
        waitingGauges("default");
        longs.put("outbox|", register("taskq.outbox.backlog", "Rows in the outbox not yet published to Kafka",
                Tags.empty(), new AtomicLong(), 1));
    }

    @Scheduled(every = "${taskq.dependency.metrics-refresh-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (!enabled) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            long start = System.nanoTime();
            if (queueQuery.due(start)) {
                refreshQueue(connection);
                refreshWaitingForInput(connection);
                queueQuery.ran(start, System.nanoTime() - start);
            }
            refreshWorkers(connection);
            refreshOutbox(connection);
        } catch (SQLException | RuntimeException e) {
            // Stale gauges until the next refresh beat failing a scheduler thread; readiness reports the outage.
            LOG.debugf("Fleet gauges not refreshed: %s", e.getMessage());
        }
    }

    private void refreshQueue(Connection connection) throws SQLException {
        Map<String, long[]> seen = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(QUEUED); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                String priorityClass = PriorityClass.of(rows.getInt(1)).name();
                String pool = rows.getString(2);
                long[] depthAndAge = seen.computeIfAbsent(key(priorityClass, pool), k -> {
                    queueGauges(priorityClass, pool);
                    return new long[2];
                });
                depthAndAge[0] += rows.getLong(3);
                depthAndAge[1] = Math.max(depthAndAge[1], Math.round(rows.getDouble(4) * 1000));
            }
        }
        // Every series seen before and absent now has emptied: it reads 0, not its last value.
        longs.forEach((key, value) -> {
            if (key.startsWith("depth|")) {
                long[] now = seen.get(key.substring("depth|".length()));
                value.set(now == null ? 0 : now[0]);
            }
        });
        ages.forEach((key, value) -> {
            long[] now = seen.get(key);
            value.set(now == null ? 0 : now[1]);
        });
    }

    private void refreshWaitingForInput(Connection connection) throws SQLException {
        Map<String, long[]> seen = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(WAITING_FOR_INPUT); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                seen.put(rows.getString(1), new long[] {rows.getLong(2), Math.round(rows.getDouble(3) * 1000)});
            }
        }
        seen.keySet().forEach(this::waitingGauges);
        longs.forEach((key, value) -> {
            String[] parts = key.split("\\|", 2);
            if (parts[0].startsWith("waiting.")) {
                long[] now = seen.get(parts[1]);
                value.set(now == null ? 0 : parts[0].equals("waiting.count") ? now[0] : now[1]);
            }
        });
    }

    private void refreshWorkers(Connection connection) throws SQLException {
        Map<String, long[]> seen = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(WORKERS)) {
            query.setDouble(1, config.leaseDuration().toMillis() / 1000.0);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    seen.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3), rows.getLong(4)});
                }
            }
        }
        seen.keySet().forEach(this::workerGauges);
        longs.forEach((key, value) -> {
            String[] parts = key.split("\\|", 2);
            if (parts[0].startsWith("workers.")) {
                long[] now = seen.get(parts[1]);
                value.set(now == null ? 0 : switch (parts[0]) {
                    case "workers.alive" -> now[0];
                    case "workers.free" -> Math.max(0, now[1] - now[2]);
                    default -> now[2];
                });
            }
        });
    }

    private void refreshOutbox(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(OUTBOX); ResultSet rows = query.executeQuery()) {
            rows.next();
            longs.get("outbox|").set(rows.getLong(1));
        }
    }

    private void queueGauges(String priorityClass, String pool) {
        Tags tags = Tags.of("priority.class", priorityClass, "pool", pool);
        longs.computeIfAbsent("depth|" + key(priorityClass, pool), k -> register(
                "taskq.queue.depth", "Tasks QUEUED (ready, not yet released)", tags, new AtomicLong(), 1));
        ages.computeIfAbsent(key(priorityClass, pool), k -> register(
                "taskq.queue.oldest.age.seconds", "Age of the oldest QUEUED task since it became ready", tags, new AtomicLong(), 0.001));
    }

    private void waitingGauges(String pool) {
        longs.computeIfAbsent("waiting.count|" + pool, k -> register(
                "taskq.tasks.waiting.for.input", "Tasks WAITING_FOR_INPUT: their session asked a human and awaits the answer",
                Tags.of("pool", pool), new AtomicLong(), 1));
        longs.computeIfAbsent("waiting.age|" + pool, k -> register(
                "taskq.tasks.waiting.for.input.oldest.age.seconds", "Age of the oldest unanswered question of a WAITING_FOR_INPUT task",
                Tags.of("pool", pool), new AtomicLong(), 0.001));
    }

    private void workerGauges(String pool) {
        longs.computeIfAbsent("workers.alive|" + pool, k -> register(
                "taskq.fleet.workers.alive", "Workers advertising the pool whose last heartbeat is within one lease",
                Tags.of("pool", pool), new AtomicLong(), 1));
        longs.computeIfAbsent("workers.busy|" + pool, k -> register(
                "taskq.fleet.slots", "Session slots of live workers advertising the pool, by state",
                Tags.of("pool", pool, "state", "busy"), new AtomicLong(), 1));
        longs.computeIfAbsent("workers.free|" + pool, k -> register(
                "taskq.fleet.slots", "Session slots of live workers advertising the pool, by state",
                Tags.of("pool", pool, "state", "free"), new AtomicLong(), 1));
    }

    private AtomicLong register(String name, String description, Tags tags, AtomicLong value, double scale) {
        Gauge.builder(name, value, v -> v.get() * scale).description(description).tags(tags).strongReference(true).register(registry);
        return value;
    }

    private static String key(String priorityClass, String pool) {
        return priorityClass + "|" + pool;
    }
}
