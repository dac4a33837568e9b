package dev.taskq.localinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A single-node KRaft Kafka broker (combined broker and controller) running inside this JVM. */
public final class KafkaBroker implements AutoCloseable {

    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            java.util.logging.Logger.getLogger("kafka"), java.util.logging.Logger.getLogger("org.apache.kafka"),
            java.util.logging.Logger.getLogger("state.change.logger"));

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Properties props;
    private final int port;
    private KafkaRaftServer server;
    private boolean closed;

    private KafkaBroker(KafkaRaftServer server, Properties props, int port) {
        this.server = server;
        this.props = props;
        this.port = port;
    }

    /**
     * Formats {@code dataDir} on first use and starts a broker on {@code port} (0 picks a free one);
     * returns once the broker answers metadata requests.
     */
    public static KafkaBroker start(Path dataDir, int port) {
        // The broker's INFO logs would drown the output of whatever hosts it (a test JVM, the local stack).
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        long started = System.nanoTime();
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Path logDir = dataDir.toAbsolutePath().resolve("kraft-logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data dir " + logDir, e);
        }
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        format(dataDir, logDir, props);

        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(server, props, brokerPort);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker ready at {} in {} ms", broker.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return broker;
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Shuts the broker down, waits {@code down}, and starts it again with the same ports and data: to its clients, a
     * broker restart (their connections drop, requests fail or wait, then everything is there again).
     */
    public synchronized void restart(Duration down) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        server.shutdown();
        server.awaitShutdown();
        Thread.sleep(down.toMillis());
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        awaitReady();
        LOG.info("Kafka broker restarted at {}", bootstrapServers());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("auto.create.topics.enable", "true"),
                Map.entry("num.partitions", "4"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Small segments and short retention keep a dev box's disk use low.
                Map.entry("log.segment.bytes", String.valueOf(16 * 1024 * 1024)),
                Map.entry("log.retention.hours", "24"),
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)),
                Map.entry("metadata.log.segment.bytes", String.valueOf(8 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4"),
                Map.entry("num.recovery.threads.per.data.dir", "1"),
                Map.entry("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE)),
                // A restarted broker waits for its previous session to expire: keep that short.
                Map.entry("broker.heartbeat.interval.ms", "500"),
                Map.entry("broker.session.timeout.ms", "1500"),
                Map.entry("controlled.shutdown.enable", "false")));
        return props;
    }

    /** Runs {@code kafka-storage format} unless the log dir already holds a formatted cluster. */
    private static void format(Path dataDir, Path logDir, Properties props) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = dataDir.toAbsolutePath().resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            props.store(out, "generated by taskq KafkaBroker");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + configFile, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream stream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {
                    "format", "--config", configFile.toString(),
                    "--cluster-id", Uuid.randomUuid().toString()}, stream);
        }
        if (exit != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Kafka", e);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker at " + bootstrapServers()
                                + " did not become ready within " + READY_TIMEOUT, e);
                    }
                    sleep(Duration.ofMillis(100));
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
