package dev.taskq.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.scheduler.config.SchedulerConfig;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in benchmark ({@code scripts/benchmark-scheduler.sh}): N schedules all due at the same instant, fired by several
 * scheduler replicas (the real loop plus loops on extra threads, all in this JVM against one Postgres); reports fire
 * lateness p50/p99/max and throughput to benchmarks/results/scheduler-*.md.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@EnabledIfSystemProperty(named = "taskq.bench", matches = "true")
class ScheduleFiringBenchmarkIT {

    private static final Logger LOG = Logger.getLogger(ScheduleFiringBenchmarkIT.class);
    private static final int SCHEDULES = Integer.getInteger("taskq.bench.schedules", 10_000);
    private static final int REPLICAS = Integer.getInteger("taskq.bench.replicas", 2);

    @Inject
    ScheduleLoop loop;

    @Inject
    ScheduleFirer firer;

    @Inject
    SchedulerConfig config;

    @Test
    void tenThousandSchedulesDueInTheSameMinuteFireOnceEachAndOnTime() throws Exception {
        Instant due = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        ScheduleRows.update("""
                insert into schedules (id, name, status, cron, timezone, task_template, missed_run_policy, max_catchup,
                                       overlap_policy, next_fire_at, created_at, updated_at)
                select gen_random_uuid(), 'bench', 'ACTIVE', '0 0 1 1 *', 'UTC', ?::jsonb, 'SKIP', 10, 'ALLOW', ?, now(), now()
                from generate_series(1, ?)""",
                """
                {"task": {"prompt": "benchmark", "priority": 5, "dependsOn": [], "workingDir": null, "timeoutSeconds": 60,
                 "maxTurns": null, "model": null, "pool": "default", "metadata": {}, "maxAttempts": 3}, "notifyTargets": []}""",
                Timestamp.from(due), SCHEDULES);

        List<Thread> extraReplicas = new ArrayList<>();
        loop.start();
        for (int i = 1; i < REPLICAS; i++) {
            extraReplicas.add(Thread.ofPlatform().name("bench-replica-" + i).start(this::replica));
        }
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> TestDatabase.count(
                    "select count(*) from schedule_runs where fire_time = ?", Timestamp.from(due)) >= SCHEDULES);
        } finally {
            loop.stop();
            extraReplicas.forEach(Thread::interrupt);
            for (Thread replica : extraReplicas) {
                replica.join();
            }
        }

        assertThat(TestDatabase.count("select count(*) from schedule_runs r join schedules s on s.id = r.schedule_id where s.name = 'bench'"))
                .isEqualTo(SCHEDULES);
        assertThat(TestDatabase.count("""
                select count(distinct r.task_id) from schedule_runs r join schedules s on s.id = r.schedule_id
                where s.name = 'bench'""")).isEqualTo(SCHEDULES);
        double[] lateness = query("""
                select percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms), max(ms),
                       extract(epoch from max(t.created_at) - min(t.created_at)) * 1000
                from (select t.created_at, extract(epoch from t.created_at - r.fire_time) * 1000 as ms
                      from schedule_runs r join tasks t on t.id = r.task_id where r.fire_time = ?) t""", Timestamp.from(due));
        write(due, lateness);
    }

    /** What another scheduler replica does: the loop's passes, without its sleep-until-due refinement. */
    private void replica() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (firer.fireDue() < config.batchSize()) {
                    Thread.sleep(config.pollInterval());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double[] query(String sql, Object... args) throws SQLException {
        try (Connection connection = PostgresTestResource.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                int columns = rows.getMetaData().getColumnCount();
                double[] values = new double[columns];
                for (int i = 0; i < columns; i++) {
                    values[i] = rows.getDouble(i + 1);
                }
                return values;
            }
        }
    }

    private void write(Instant due, double[] figures) throws IOException, SQLException {
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path file = Path.of("../benchmarks/results/scheduler-" + now + ".md");
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // Not Linux: leave the model unknown.
        }
        String postgres;
        try (Connection connection = PostgresTestResource.connect()) {
            postgres = connection.getMetaData().getDatabaseProductVersion();
        }
        double spreadMs = Math.max(figures[3], 1);
        String report = """
                # scheduler benchmark, %s

                %d ACTIVE cron schedules (`0 0 1 1 *`, so each fires once here; overlap allow) all due at the same instant, fired by %d scheduler
                replicas in one JVM (the real loop plus %d loop(s) on extra threads; batch %d, poll %s) against Postgres on
                127.0.0.1. Lateness is each run's task `created_at` (stamped inside the firing transaction) minus its fire
                time; it includes the up-to-one-poll wait before the first pass sees the due time.

                | figure | value |
                |---|---|
                | runs fired (each exactly once; tasks created) | %d |
                | fire lateness p50 | %.0f ms |
                | fire lateness p99 | %.0f ms |
                | fire lateness max | %.0f ms |
                | first → last task created | %.2f s |
                | throughput | %.0f schedules fired/s |

                Machine: %d cores (%s), %s %s, Java %s, max heap %d MB, PostgreSQL %s. Load average (1/5/15 min) when it
                ended: %s — other builds and tests shared the machine, so the figures are lower than on an idle one.
                Run: `scripts/benchmark-scheduler.sh` (BENCH_SCHEDULES=N, BENCH_REPLICAS=N).
                """.formatted(now, SCHEDULES, REPLICAS, REPLICAS - 1, config.batchSize(), config.pollInterval(), SCHEDULES,
                figures[0], figures[1], figures[2], spreadMs / 1000, SCHEDULES * 1000.0 / spreadMs,
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / (1024 * 1024), postgres, loadAverage());
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        LOG.info("Benchmark written to " + file.toAbsolutePath().normalize() + " (due " + due + ")\n" + report);
    }
}
