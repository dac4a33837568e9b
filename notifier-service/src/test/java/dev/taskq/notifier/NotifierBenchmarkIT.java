package dev.taskq.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.json.EventJson;
import dev.taskq.notifier.testing.LifecycleTopicResource;
import dev.taskq.notifier.testing.TelegramApiResource;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The notifier benchmark (scripts/benchmark-notifier.sh; skipped unless -Dtaskq.bench=true): 10,000 lifecycle events,
 * each routed to one of 100 webhook destinations, one of which never answers. Measures throughput and latency
 * (event published → request received) to the 99 healthy destinations and writes benchmarks/results/notifier-*.md.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(LifecycleTopicResource.class)
@QuarkusTestResource(TelegramApiResource.class)
@EnabledIfSystemProperty(named = "taskq.bench", matches = "true")
class NotifierBenchmarkIT {

    private static final int EVENTS = Integer.getInteger("taskq.bench.events", 10_000);
    private static final int DESTINATIONS = 100;
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void tenThousandEventsReachNinetyNineHealthyDestinationsWhileOneHangs() throws Exception {
        Map<UUID, Long> publishedAt = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger healthyReceived = new AtomicInteger();
        // A send the notifier gave up on (its 1 s request timeout on a loaded machine) may still reach the receiver and
        // be sent again with the same webhook-id: at least once. The figures count each webhook-id's first receipt.
        Set<String> webhookIds = ConcurrentHashMap.newKeySet();
        AtomicInteger repeats = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/d0")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            long now = System.currentTimeMillis();
            if (!webhookIds.add(exchange.getRequestHeaders().getFirst("webhook-id"))) {
                repeats.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            UUID taskId = UUID.fromString(EventJson.mapper().readTree(body).path("data").path("taskId").asText());
            Long sent = publishedAt.get(taskId);
            if (sent != null) {
                latencies.add(now - sent);
            }
            healthyReceived.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            List<UUID> destinations = new ArrayList<>();
            List<UUID> tasks = new ArrayList<>();
            setUp(server.getAddress().getPort(), destinations, tasks);
            int healthyExpected = (int) java.util.stream.IntStream.range(0, EVENTS).filter(i -> i % DESTINATIONS != 0).count();

            Instant start = Instant.now();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (UUID task : tasks) {
                    publishedAt.put(task, System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(LifecycleTopicResource.topics().taskLifecycle(), task.toString(), EventJson.toBytes(
                            new TaskLifecycleEvent(UUID.randomUUID(), task, 1, TaskStatus.SUCCEEDED, null, new BigDecimal("0.01"), Instant.now(), null, null))));
                }
            }
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> healthyReceived.get() >= healthyExpected);
            Duration elapsed = Duration.between(start, Instant.now());

            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            assertThat(sorted.length).isEqualTo(healthyExpected);
            write(healthyExpected, elapsed, sorted, repeats.get());
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    private static void setUp(int port, List<UUID> destinations, List<UUID> tasks) throws Exception {
        try (Connection connection = PostgresTestResource.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement destination = connection.prepareStatement("""
                    insert into notification_destinations (id, name, type, config, enabled, created_at, updated_at)
                    values (?, ?, 'WEBHOOK', ?::jsonb, true, now(), now())""")) {
                for (int i = 0; i < DESTINATIONS; i++) {
                    UUID id = UUID.randomUUID();
                    destinations.add(id);
                    destination.setObject(1, id);
                    destination.setString(2, "bench-" + id);
                    destination.setString(3, EventJson.toJson(Map.of("url", "http://127.0.0.1:" + port + "/d" + i, "secret", SECRET)));
                    destination.addBatch();
                }
                destination.executeBatch();
            }
            try (PreparedStatement task = connection.prepareStatement("""
                    insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds, created_at, started_at, finished_at, updated_at)
                    values (?, 'benchmark task', 5, 5, 'SUCCEEDED', 'bench', 600, now(), now(), now(), now())""");
                    PreparedStatement notify = connection.prepareStatement("""
                            insert into task_notifications (task_id, position, destination_id, event_types, enabled)
                            values (?, 0, ?, '[]'::jsonb, true)""")) {
                for (int i = 0; i < EVENTS; i++) {
                    UUID id = UUID.randomUUID();
                    tasks.add(id);
                    task.setObject(1, id);
                    task.addBatch();
                    notify.setObject(1, id);
                    notify.setObject(2, destinations.get(i % DESTINATIONS));
                    notify.addBatch();
                }
                task.executeBatch();
                notify.executeBatch();
            }
            connection.commit();
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static void write(int delivered, Duration elapsed, long[] sorted, int repeats) throws IOException {
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path file = Path.of("../benchmarks/results/notifier-" + now + ".md");
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // Not Linux: leave the model unknown.
        }
        String load = "unknown";
        try {
            // Other work on the machine changes every figure: the load says how busy it was.
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            // Not Linux: leave the load unknown.
        }
        String report = """
                # notifier benchmark, %s

                %d lifecycle events, each routed to one of %d webhook destinations (named notify entries); destination 0 never
                answers (its requests hang until the run ends). Everything runs in one JVM: the notifier (Quarkus test profile:
                4 sends in flight per destination, 256 in all, 1 s request timeout), a Kafka broker, a local JDK HttpServer
                receiver, and Postgres on 127.0.0.1.

                | figure | value |
                |---|---|
                | deliveries to the 99 healthy destinations | %d |
                | wall time, first publish → last healthy delivery | %.1f s |
                | throughput to healthy destinations | %.0f deliveries/s |
                | latency p50 (published → received) | %d ms |
                | latency p90 | %d ms |
                | latency p99 | %d ms |
                | latency max | %d ms |
                | repeated receipts (same webhook-id again after a send timed out) | %d |

                Machine: %d cores (%s), %s %s, Java %s, max heap %d MB. Load average (1, 5, 15 min) at the end: %s.
                Run: `scripts/benchmark-notifier.sh` (BENCH_EVENTS=N to change the event count).
                """.formatted(now, EVENTS, DESTINATIONS, delivered, elapsed.toMillis() / 1000.0, delivered * 1000.0 / elapsed.toMillis(),
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1], repeats,
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / (1024 * 1024), load);
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        org.jboss.logging.Logger.getLogger(NotifierBenchmarkIT.class).info("Benchmark written to " + file.toAbsolutePath().normalize()
                + "\n" + report);
    }
}
