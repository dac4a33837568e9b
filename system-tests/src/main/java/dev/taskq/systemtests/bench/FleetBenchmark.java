package dev.taskq.systemtests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.localinfra.stack.LocalStack;
import dev.taskq.localinfra.stack.ServiceProcess;
import dev.taskq.localinfra.stack.StackOptions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The fleet benchmark (issue 4), on the whole local stack with the fake {@code claude} and default lease settings:
 *
 * <ol>
 *   <li>Re-dispatch after {@code kill -9}: a worker running a session is killed (SIGKILL), {@code BENCH_KILLS} times;
 *       measured from the kill to the task's next attempt being dispatched and its session started on another worker.
 *   <li>Memory: each worker-agent's resident set idle, and what each running session adds to the worker's JVM (the
 *       session's own process is the CLI's, not the worker's).
 *   <li>Heartbeat cost: {@code BENCH_SIM_WORKERS} simulated workers, each running two attempts, heartbeat every 3 s for
 *       {@code BENCH_HEARTBEAT_SECONDS}; the rows Postgres wrote, its WAL and its commits per second.
 * </ol>
 */
public final class FleetBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(3);
    private static final int SLOTS = 4;

    private final LocalStack stack;
    private final StackOptions options;
    private int workersStarted;

    private FleetBenchmark(LocalStack stack, StackOptions options, int workers) {
        this.stack = stack;
        this.options = options;
        this.workersStarted = workers;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int kills = BenchSupport.intEnv("BENCH_KILLS", 20);
        int simulatedWorkers = BenchSupport.intEnv("BENCH_SIM_WORKERS", 200);
        int heartbeatSeconds = BenchSupport.intEnv("BENCH_HEARTBEAT_SECONDS", 60);
        Set<String> parts = parts(System.getenv("BENCH_FLEET_PARTS"));
        int workers = 2;

        StackOptions options = BenchSupport.fakeClaudeStack(repo, workers, SLOTS);
        System.out.printf("Starting the stack (%d workers x %d slots)...%n", workers, SLOTS);
        try (LocalStack stack = LocalStack.start(options)) {
            FleetBenchmark benchmark = new FleetBenchmark(stack, options, workers);
            // Memory first, on the stack's original workers, before any is killed.
            Memory memory = parts.contains("memory") ? benchmark.measureMemory() : null;
            if (memory != null) {
                System.out.println(memory);
            }
            StringBuilder sections = new StringBuilder();
            if (parts.contains("redispatch")) {
                Latencies redispatch = new Latencies();
                Latencies restarted = new Latencies();
                benchmark.measureRedispatch(kills, redispatch, restarted);
                System.out.println("Re-dispatched: " + redispatch.summary() + "; session running again: " + restarted.summary());
                sections.append(redispatchSection(kills, redispatch, restarted));
            }
            if (memory != null) {
                sections.append(memorySection(memory));
            }
            if (parts.contains("heartbeats")) {
                HeartbeatCost heartbeats = benchmark.measureHeartbeats(simulatedWorkers, Duration.ofSeconds(heartbeatSeconds));
                System.out.println(heartbeats);
                sections.append(heartbeatSection(heartbeats));
            }
            BenchSupport.writeResult(repo, "fleet", header(parts) + sections);
        }
    }

    /** The parts {@code BENCH_FLEET_PARTS} names (comma-separated), all three when unset. */
    private static Set<String> parts(String setting) {
        Set<String> all = Set.of("memory", "redispatch", "heartbeats");
        if (setting == null || setting.isBlank()) {
            return all;
        }
        Set<String> chosen = new TreeSet<>();
        for (String part : setting.split(",")) {
            String name = part.trim();
            if (!all.contains(name)) {
                throw new IllegalArgumentException("BENCH_FLEET_PARTS: unknown part '" + name + "'; the parts are " + all);
            }
            chosen.add(name);
        }
        return chosen;
    }

    // --- Re-dispatch after kill -9 -------------------------------------------------------------------------------

    private void measureRedispatch(int kills, Latencies redispatch, Latencies restarted) throws Exception {
        for (int i = 0; i < kills; i++) {
            UUID task = submit("Killed worker probe " + i + " [fake:sleep=600]");
            Running running = awaitRunning(task);
            ServiceProcess holder = workerOf(running);
            holder.kill();
            Instant killedAt = Instant.now();
            Attempt next = awaitStartedAttempt(task, running.attempt() + 1);
            redispatch.add(Duration.between(killedAt, next.dispatchedAt()).toMillis());
            restarted.add(Duration.between(killedAt, next.startedAt()).toMillis());
            System.out.printf("kill %d: re-dispatched after %d ms, running after %d ms%n", i + 1,
                    Duration.between(killedAt, next.dispatchedAt()).toMillis(), Duration.between(killedAt, next.startedAt()).toMillis());
            BenchSupport.post(stack, "/api/v1/tasks/" + task + "/cancel", "");
            stack.addWorker(workersStarted++);
        }
    }

    private record Attempt(Instant dispatchedAt, Instant startedAt) {}

    private Attempt awaitStartedAttempt(UUID task, int attempt) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        try (Connection db = BenchSupport.database(stack);
                PreparedStatement query = db.prepareStatement(
                        "select dispatched_at, started_at from task_attempts where task_id = ? and attempt = ?")) {
            query.setObject(1, task);
            query.setInt(2, attempt);
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && row.getTimestamp(2) != null) {
                        return new Attempt(row.getTimestamp(1).toInstant(), row.getTimestamp(2).toInstant());
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("attempt " + attempt + " of " + task + " did not start within 2 minutes");
    }

    /** The task's current attempt once its session's process is known: the attempt's number and that process. */
    private record Running(int attempt, long sessionPid) {}

    /**
     * Waits for the task's current attempt to report its process. An attempt can count as started before that (a
     * heartbeat marks it running before its SessionStarted arrives), and on a loaded machine the first dispatch can
     * be withdrawn and re-sent (dispatch rescue), so the attempt is not always the first.
     */
    private Running awaitRunning(UUID task) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        try (Connection db = BenchSupport.database(stack);
                PreparedStatement query = db.prepareStatement("""
                        select a.attempt, a.pid from task_attempts a join tasks t on t.id = a.task_id and t.current_attempt = a.attempt
                        where t.id = ? and a.pid is not null""")) {
            query.setObject(1, task);
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        return new Running(row.getInt(1), row.getLong(2));
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("no session of " + task + " reported its process within 2 minutes");
    }

    /** The worker whose child runs the attempt. */
    private ServiceProcess workerOf(Running running) {
        long parent = ProcessHandle.of(running.sessionPid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        return stack.workers().stream().filter(worker -> worker.pid() == parent).findFirst()
                .orElseThrow(() -> new IllegalStateException("no worker is the parent of session " + running.sessionPid()));
    }

    // --- Memory --------------------------------------------------------------------------------------------------

    /** Each worker's resident set idle and with sessions running, and how many it ran then. */
    record Memory(List<Long> idleKiB, List<Long> busyKiB, List<Integer> sessions) {
        double idleMiB() {
            return idleKiB.stream().mapToLong(Long::longValue).average().orElse(0) / 1024.0;
        }

        /** The mean over workers that ran sessions of (busy − idle) / sessions. */
        double perSessionMiB() {
            double sum = 0;
            int counted = 0;
            for (int i = 0; i < idleKiB.size(); i++) {
                if (sessions.get(i) > 0) {
                    sum += (busyKiB.get(i) - idleKiB.get(i)) / 1024.0 / sessions.get(i);
                    counted++;
                }
            }
            return counted == 0 ? 0 : sum / counted;
        }

        @Override
        public String toString() {
            return "Worker RSS idle %.0f MiB (each: %s KiB); busy %s KiB with %s sessions: %.1f MiB more per running session"
                    .formatted(idleMiB(), idleKiB, busyKiB, sessions, perSessionMiB());
        }
    }

    private Memory measureMemory() throws Exception {
        // Warm first (a worker's first sessions load classes and JIT-compile its paths), then let it settle idle.
        List<UUID> warmUp = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            warmUp.add(submit("Warm-up " + i + " [fake:lines=20]"));
        }
        awaitAll(warmUp, "SUCCEEDED");
        Thread.sleep(10_000);
        List<ServiceProcess> workers = stack.workers();
        List<Long> idle = workers.stream().map(worker -> residentKiB(worker.pid())).toList();

        // As many long sessions as there are slots; where each lands is the fleet's business, so count per worker.
        List<UUID> busy = new ArrayList<>();
        for (int i = 0; i < SLOTS * workers.size(); i++) {
            busy.add(submit("Holds a slot " + i + " [fake:sleep=600]"));
        }
        Thread.sleep(15_000);
        List<Long> loaded = workers.stream().map(worker -> residentKiB(worker.pid())).toList();
        List<Integer> sessions = new ArrayList<>();
        for (ServiceProcess worker : workers) {
            sessions.add(sessionsOf(worker));
        }
        for (UUID task : busy) {
            BenchSupport.post(stack, "/api/v1/tasks/" + task + "/cancel", "");
        }
        awaitAll(busy, "CANCELLED");
        return new Memory(idle, loaded, sessions);
    }

    /** How many session processes the worker runs now (its children). */
    private static int sessionsOf(ServiceProcess worker) {
        return (int) ProcessHandle.of(worker.pid()).map(process -> process.children().count()).orElse(0L).longValue();
    }

    private static long residentKiB(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:")).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).orElse(0L);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the memory of process " + pid, e);
        }
    }

    // --- Heartbeat cost ------------------------------------------------------------------------------------------

    record HeartbeatCost(int workers, Duration duration, long heartbeats, long rowsWritten, long walBytes, long commits) {
        double perSecond(long count) {
            return count / (duration.toMillis() / 1000.0);
        }

        @Override
        public String toString() {
            return ("%d simulated workers for %ds: %d heartbeats (%.1f/s); Postgres wrote %d rows (%.1f/s), %d WAL bytes "
                    + "(%.0f/s), %d commits (%.1f/s)").formatted(workers, duration.toSeconds(), heartbeats,
                    perSecond(heartbeats), rowsWritten, perSecond(rowsWritten), walBytes, perSecond(walBytes), commits,
                    perSecond(commits));
        }
    }

    private HeartbeatCost measureHeartbeats(int workers, Duration duration) throws Exception {
        List<String> workerIds = new ArrayList<>();
        Map<String, List<AttemptRef>> running = new java.util.HashMap<>();
        try (Connection db = BenchSupport.database(stack)) {
            for (int i = 0; i < workers; i++) {
                String id = "simulated-worker-" + i;
                workerIds.add(id);
                running.put(id, List.of(insertRunningAttempt(db, id), insertRunningAttempt(db, id)));
            }
        }
        TopicNames topics = new TopicNames(options.namePrefix());
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
                Connection db = BenchSupport.database(stack)) {
            // One round first, so every simulated worker is known before the window opens.
            sent += beat(producer, topics, workerIds, running);
            Thread.sleep(HEARTBEAT_INTERVAL.toMillis());
            DbCounters before = DbCounters.read(db);
            Instant start = Instant.now();
            Instant end = start.plus(duration);
            long sentBefore = sent;
            while (Instant.now().isBefore(end)) {
                Instant roundStart = Instant.now();
                sent += beat(producer, topics, workerIds, running);
                long pause = HEARTBEAT_INTERVAL.minus(Duration.between(roundStart, Instant.now())).toMillis();
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
            Duration measured = Duration.between(start, Instant.now());
            // Let the consumer catch up and Postgres publish its statistics (flushed at most every second).
            Thread.sleep(3_000);
            DbCounters after = DbCounters.read(db);
            return new HeartbeatCost(workers, measured, sent - sentBefore, after.rows() - before.rows(),
                    after.walBytes() - before.walBytes(), after.commits() - before.commits());
        }
    }

    private static long beat(KafkaProducer<String, byte[]> producer, TopicNames topics, List<String> workerIds,
            Map<String, List<AttemptRef>> running) {
        Instant now = Instant.now();
        for (String id : workerIds) {
            WorkerHeartbeat heartbeat = new WorkerHeartbeat(id, "simulated-host", now, 2, 2, List.of("default"),
                    running.get(id), null);
            producer.send(new ProducerRecord<>(topics.workerHeartbeats(), id, EventJson.toBytes(heartbeat)));
        }
        producer.flush();
        return workerIds.size();
    }

    /** A RUNNING task whose current attempt the simulated worker holds, with a lease its heartbeats keep renewing. */
    private static AttemptRef insertRunningAttempt(Connection db, String workerId) throws Exception {
        UUID task = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement insertTask = db.prepareStatement("""
                insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds, metadata,
                                   max_attempts, unmet_dependencies, current_attempt, created_at, ready_at, dispatched_at,
                                   started_at, updated_at)
                values (?, 'heartbeat benchmark', 5, 5, 'RUNNING', 'default', 3600, '{}'::jsonb, 3, 0, 1, ?, ?, ?, ?, ?)""");
                PreparedStatement insertAttempt = db.prepareStatement("""
                        insert into task_attempts (task_id, attempt, status, session_id, worker_id, host, dispatched_at,
                                                   started_at, lease_expires_at)
                        values (?, 1, 'RUNNING', ?, ?, 'simulated-host', ?, ?, cast(? as timestamptz) + interval '1 hour')""")) {
            insertTask.setObject(1, task);
            for (int i = 2; i <= 6; i++) {
                insertTask.setTimestamp(i, now);
            }
            insertTask.executeUpdate();
            insertAttempt.setObject(1, task);
            insertAttempt.setObject(2, UUID.randomUUID());
            insertAttempt.setString(3, workerId);
            insertAttempt.setTimestamp(4, now);
            insertAttempt.setTimestamp(5, now);
            insertAttempt.setTimestamp(6, now);
            insertAttempt.executeUpdate();
        }
        return new AttemptRef(task, 1);
    }

    /** Postgres's own counters for the stack's database: rows written, WAL position, commits. */
    private record DbCounters(long rows, long walBytes, long commits) {
        static DbCounters read(Connection db) throws Exception {
            try (Statement statement = db.createStatement()) {
                // Statistics are read at most once per transaction; start a fresh snapshot.
                statement.execute("select pg_stat_clear_snapshot()");
                long rows;
                try (ResultSet row = statement.executeQuery("""
                        select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables""")) {
                    row.next();
                    rows = row.getLong(1);
                }
                long wal;
                try (ResultSet row = statement.executeQuery("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                    row.next();
                    wal = row.getLong(1);
                }
                long commits;
                try (ResultSet row = statement.executeQuery(
                        "select xact_commit from pg_stat_database where datname = current_database()")) {
                    row.next();
                    commits = row.getLong(1);
                }
                return new DbCounters(rows, wal, commits);
            }
        }
    }

    // --- Helpers and report --------------------------------------------------------------------------------------

    private UUID submit(String prompt) throws Exception {
        HttpResponse<String> response = BenchSupport.post(stack, "/api/v1/tasks",
                JSON.writeValueAsString(Map.of("prompt", prompt, "timeoutSeconds", 3600)));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("submit answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(JSON.readTree(response.body()).path("id").asText());
    }

    private void awaitAll(List<UUID> tasks, String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        try (Connection db = BenchSupport.database(stack);
                PreparedStatement query = db.prepareStatement("select count(*) from tasks where id = any(?) and status = ?")) {
            query.setArray(1, db.createArrayOf("uuid", tasks.toArray()));
            query.setString(2, status);
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    if (row.getLong(1) == tasks.size()) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
            try (PreparedStatement statuses = db.prepareStatement(
                    "select status, count(*) from tasks where id = any(?) group by status")) {
                statuses.setArray(1, db.createArrayOf("uuid", tasks.toArray()));
                StringBuilder seen = new StringBuilder();
                try (ResultSet rows = statuses.executeQuery()) {
                    while (rows.next()) {
                        seen.append(' ').append(rows.getString(1)).append('=').append(rows.getLong(2));
                    }
                }
                throw new IllegalStateException(tasks.size() + " tasks did not all reach " + status
                        + " within 3 minutes; they are:" + seen);
            }
        }
    }

    /** Latencies in milliseconds. */
    static final class Latencies {
        private final List<Double> values = new ArrayList<>();

        void add(double millis) {
            values.add(millis);
        }

        double percentile(double p) {
            List<Double> sorted = values.stream().sorted().toList();
            return BenchSupport.percentile(sorted, p);
        }

        String summary() {
            return values.isEmpty() ? "none" : "p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d".formatted(
                    percentile(50), percentile(99), percentile(100), values.size());
        }

        String row(String step) {
            return "| %s | %d | %.0f | %.0f | %.0f | %.0f |".formatted(step, values.size(), percentile(50), percentile(95),
                    percentile(99), percentile(100));
        }
    }

    private static String header(Set<String> parts) throws Exception {
        String skipped = parts.size() == 3 ? "" : "\nOnly part of the benchmark ran (BENCH_FLEET_PARTS=%s); the other parts were not measured.\n"
                .formatted(String.join(",", parts));
        return """
                # taskq fleet benchmark

                Run %s. %s
                %s
                Setup: the whole local stack (api-gateway, dependency-service, 2 worker-agents x %d slots, scheduler,
                notifier; local Postgres; an in-process Kafka broker) with the fake `claude`; the services JVMs with
                -Xms64m -Xmx512m -XX:+UseSerialGC, the workers with the lean flags of their image (`%s`, environment
                `%s`); default lease settings (heartbeat every 3 s, lease 10 s, lease check every 1 s, intake group
                session 10 s).
                """.formatted(Instant.now(), MachineDescription.describe(), skipped, SLOTS,
                String.join(" ", LocalStack.workerJvmOptions()), LocalStack.workerEnvironment());
    }

    private static String redispatchSection(int kills, Latencies redispatch, Latencies restarted) {
        return """

                ## Re-dispatch after kill -9

                %d times: a session runs on a worker, the worker is killed with SIGKILL, and the time from the kill to
                the task's next attempt is measured (then the task is cancelled and a fresh worker joins).

                | from the kill to | kills | p50 ms | p95 ms | p99 ms | max ms |
                |---|---|---|---|---|---|
                %s
                %s

                Target (issue 4): re-dispatched within 15 s with default settings.
                """.formatted(kills, redispatch.row("next attempt dispatched"), restarted.row("its session running"));
    }

    private static String memorySection(Memory memory) {
        return """

                ## Worker memory

                Resident set (VmRSS) of each worker-agent JVM, after 20 warm-up sessions, idle for 10 s: %s KiB, mean
                **%.0f MiB** (%.0f MB). With %s sessions running on them (%d slots each): %s KiB, i.e. **%.1f MiB per
                session** in the worker (the session's own process, the CLI's, is not counted: the real `claude` is a
                Node.js process of its own).

                Target (issue 4): ≤ 120 MB idle.
                """.formatted(memory.idleKiB(), memory.idleMiB(), memory.idleMiB() * 1024 * 1024 / 1e6, memory.sessions(),
                SLOTS, memory.busyKiB(), memory.perSessionMiB());
    }

    private static String heartbeatSection(HeartbeatCost heartbeats) {
        return """

                ## Heartbeat cost

                %d simulated workers, each holding 2 running attempts, each sending a heartbeat every 3 s straight to
                the heartbeat topic for %d s (%d heartbeats, %.1f/s). What Postgres did meanwhile (all of the stack's
                tables, so the idle stack's own loops are counted too):

                | rows written | rows/s | WAL bytes/s | commits/s |
                |---|---|---|---|
                | %d | %.1f | %.0f | %.1f |

                Each heartbeat upserts its worker's row and renews its attempts' leases in one statement; a poll's
                heartbeats are applied in one transaction.
                """.formatted(heartbeats.workers(), heartbeats.duration().toSeconds(), heartbeats.heartbeats(),
                heartbeats.perSecond(heartbeats.heartbeats()), heartbeats.rowsWritten(),
                heartbeats.perSecond(heartbeats.rowsWritten()), heartbeats.perSecond(heartbeats.walBytes()),
                heartbeats.perSecond(heartbeats.commits()));
    }
}
