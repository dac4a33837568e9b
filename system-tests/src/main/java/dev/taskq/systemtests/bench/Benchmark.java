package dev.taskq.systemtests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.localinfra.stack.LocalStack;
import dev.taskq.localinfra.stack.StackOptions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The walking-skeleton benchmark: the whole stack with a no-op fake {@code claude}, measuring
 * submit → worker-process-start latency, end-to-end no-op throughput and single-request submit throughput.
 * Settings by environment: BENCH_TASKS (2000), BENCH_WORKERS (1), BENCH_SLOTS (32), BENCH_CLIENTS (8),
 * BENCH_PACED_RATE tasks/s for the latency phase (10: below what 2 cores sustain, so it measures latency, not queueing). BENCH_MODE=metrics-overhead measures end-to-end no-op
 * throughput twice instead, with metrics on and off ({@code taskq.metrics.enabled}), each on a fresh stack.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStack stack;

    private Benchmark(LocalStack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int tasks = BenchSupport.intEnv("BENCH_TASKS", 2000);
        int workers = BenchSupport.intEnv("BENCH_WORKERS", 1);
        int slots = BenchSupport.intEnv("BENCH_SLOTS", 32);
        int clients = BenchSupport.intEnv("BENCH_CLIENTS", 8);
        int pacedRate = BenchSupport.intEnv("BENCH_PACED_RATE", 10);
        if ("metrics-overhead".equals(System.getenv("BENCH_MODE"))) {
            metricsOverhead(repo, tasks, workers, slots, clients);
            return;
        }

        StackOptions options = BenchSupport.fakeClaudeStack(repo, workers, slots);

        System.out.printf("Starting the stack (%d worker(s) x %d slots)...%n", workers, slots);
        try (LocalStack stack = LocalStack.start(options)) {
            Benchmark benchmark = new Benchmark(stack);
            // A real deployment runs warm: JIT-compile the hot paths before measuring.
            benchmark.burst("warm-up", Math.min(1000, tasks), clients);

            int pacedCount = Math.max(200, tasks / 4);
            Phase paced = benchmark.paced(pacedCount, pacedRate);
            Phase burst = benchmark.burst("burst", tasks, clients);

            String report = report(tasks, workers, slots, clients, pacedRate, paced, burst);
            BenchSupport.writeResult(repo, "skeleton", report);
        }
    }

    /**
     * The cost of metrics: the same burst on two fresh stacks, metrics on then off. quarkus.micrometer.enabled is
     * fixed at build time, so "off" is taskq.metrics.enabled=false: every meter a no-op, no fleet-gauge queries.
     */
    private static void metricsOverhead(Path repo, int tasks, int workers, int slots, int clients) throws Exception {
        Map<Boolean, Phase> results = new java.util.LinkedHashMap<>();
        for (boolean metrics : new boolean[] {true, false}) {
            StackOptions options = BenchSupport.fakeClaudeStack(repo, workers, slots)
                    .withServiceProperty("taskq.metrics.enabled", Boolean.toString(metrics));
            System.out.printf("Metrics %s: starting the stack (%d worker(s) x %d slots)...%n", metrics ? "on" : "off", workers, slots);
            try (LocalStack stack = LocalStack.start(options)) {
                Benchmark benchmark = new Benchmark(stack);
                benchmark.burst("warm-up", Math.min(1000, tasks), clients);
                results.put(metrics, benchmark.burst(metrics ? "metrics on" : "metrics off", tasks, clients));
            }
        }
        Phase on = results.get(true);
        Phase off = results.get(false);
        String report = """
                # taskq metrics overhead

                Run %s. %s

                The same burst (%d no-op tasks, %d concurrent clients, %d worker(s) x %d slots) on two fresh local
                stacks after a warm-up: metrics on (the default) and off (`taskq.metrics.enabled=false` on every
                service: meters are no-ops and dependency-service runs no fleet-gauge queries).

                | phase | tasks | submit→start p50 ms | p95 ms | p99 ms | max ms | submit req/s | end-to-end tasks/s |
                |---|---|---|---|---|---|---|---|
                %s
                %s

                End-to-end throughput with metrics is %.1f %% of that without (one run each; run-to-run noise on a
                2-core machine is several per cent).
                """.formatted(Instant.now(), MachineDescription.describe(), tasks, clients, workers, slots,
                on.summary(), off.summary(), 100 * on.endToEndRate() / off.endToEndRate());
        BenchSupport.writeResult(repo, "metrics-overhead", report);
    }

    /** Submits tasks at a steady rate below capacity: latency without queueing behind the benchmark itself. */
    private Phase paced(int count, int ratePerSecond) throws Exception {
        List<UUID> ids = new ArrayList<>();
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        long next = System.nanoTime();
        Instant start = Instant.now();
        for (int i = 0; i < count; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            ids.add(submit("paced no-op " + i));
            next += intervalNanos;
        }
        Instant submitted = Instant.now();
        awaitAllSucceeded(ids);
        return measure("paced", ids, start, submitted, Instant.now());
    }

    /** Submits everything as fast as {@code clients} concurrent clients can, one task per request. */
    private Phase burst(String name, int count, int clients) throws Exception {
        List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sequence = new AtomicInteger();
        Instant start = Instant.now();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    int i;
                    while ((i = sequence.getAndIncrement()) < count) {
                        ids.add(submit(name + " no-op " + i));
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        }
        Instant submitted = Instant.now();
        awaitAllSucceeded(ids);
        Phase phase = measure(name, ids, start, submitted, Instant.now());
        System.out.println(phase.summary());
        return phase;
    }

    private UUID submit(String prompt) throws Exception {
        String body = JSON.writeValueAsString(Map.of("prompt", prompt, "timeoutSeconds", 60));
        HttpResponse<String> response = BenchSupport.post(stack, "/api/v1/tasks", body);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("submit answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(JSON.readTree(response.body()).path("id").asText());
    }

    private void awaitAllSucceeded(List<UUID> ids) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement(
                        "select count(*) filter (where status = 'SUCCEEDED'), count(*) filter (where status in ('FAILED','TIMED_OUT','CANCELLED','UPSTREAM_FAILED')) from tasks where id = any(?)")) {
            query.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    if (row.getLong(2) > 0) {
                        throw new IllegalStateException(row.getLong(2) + " benchmark tasks did not succeed");
                    }
                    if (row.getLong(1) == ids.size()) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("tasks did not finish within 10 minutes");
    }

    /** Reads created_at (API) and the attempt's started_at (worker's process spawn) of every task. */
    private Phase measure(String name, List<UUID> ids, Instant start, Instant submitted, Instant finished) throws Exception {
        List<Double> latenciesMs = new ArrayList<>();
        Instant lastFinish = start;
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement("""
                        select extract(epoch from (a.started_at - t.created_at)) * 1000, t.finished_at
                        from tasks t join task_attempts a on a.task_id = t.id and a.attempt = t.current_attempt
                        where t.id = any(?)""")) {
            query.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    latenciesMs.add(rows.getDouble(1));
                    Instant taskFinished = rows.getTimestamp(2).toInstant();
                    if (taskFinished.isAfter(lastFinish)) {
                        lastFinish = taskFinished;
                    }
                }
            }
        }
        Collections.sort(latenciesMs);
        return new Phase(name, ids.size(), latenciesMs, Duration.between(start, submitted), Duration.between(start, lastFinish));
    }

    private Connection database() throws Exception {
        return BenchSupport.database(stack);
    }

    /** What one phase measured. */
    record Phase(String name, int tasks, List<Double> latenciesMs, Duration submitDuration, Duration endToEnd) {

        double percentile(double p) {
            return BenchSupport.percentile(latenciesMs, p);
        }

        double submitRate() {
            return tasks / (submitDuration.toNanos() / 1e9);
        }

        double endToEndRate() {
            return tasks / (endToEnd.toNanos() / 1e9);
        }

        String summary() {
            return String.format(Locale.ROOT,
                    "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f |",
                    name, tasks, percentile(50), percentile(95), percentile(99), latenciesMs.getLast(), submitRate(), endToEndRate());
        }
    }

    private static String report(int tasks, int workers, int slots, int clients, int pacedRate, Phase paced, Phase burst)
            throws Exception {
        return """
                # taskq skeleton benchmark

                Run %s. %s

                Setup: the whole local stack (api-gateway, dependency-service, %d worker-agent(s) x %d slots,
                scheduler, notifier; local Postgres; an in-process Kafka broker) with the no-op fake `claude`
                (a shell script emitting init/assistant/result stream-json). Latency is task `created_at` (API
                insert) → the attempt's `started_at` (the worker's timestamp right after spawning the process).

                Phases: *paced*: tasks submitted one at a time at %d/s (below capacity); *burst*: %d tasks
                submitted by %d concurrent clients, one task per request, as fast as they go.

                | phase | tasks | submit→start p50 ms | p95 ms | p99 ms | max ms | submit req/s | end-to-end tasks/s |
                |---|---|---|---|---|---|---|---|
                %s
                %s

                Targets (issue 2, 2 cores): p50 ≤ 15 ms, p99 ≤ 60 ms, ≥ 500 tasks/s.
                """.formatted(Instant.now(), MachineDescription.describe(), workers, slots, pacedRate, tasks, clients,
                paced.summary(), burst.summary());
    }
}
