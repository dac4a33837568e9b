package dev.taskq.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.taskq.localinfra.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * One Kafka broker per test JVM (or the one named by {@code KAFKA_BOOTSTRAP_SERVERS}), with a topic and
 * consumer-group prefix unique to the JVM so tests never collide with a running local stack.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Environment variable naming an external broker to use instead of starting one. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    // Quarkus may load this class in several class loaders within one JVM, so the shared state lives in
    // system properties (JVM-wide) rather than in static fields.
    private static final String SERVERS_PROPERTY = "taskq.test.kafka.bootstrap-servers";
    private static final String PREFIX_PROPERTY = "taskq.test.kafka.run-prefix";

    @Override
    public Map<String, String> start() {
        ensureStarted();
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers(),
                "taskq.kafka.topic-prefix", runPrefix(),
                "taskq.kafka.group-prefix", runPrefix());
    }

    @Override
    public void stop() {
        // The broker outlives each test class; a shutdown hook closes it when the JVM exits.
    }

    /** Starts the shared broker unless it (or an external one) is already there. */
    public static void ensureStarted() {
        synchronized (System.getProperties()) {
            if (System.getProperty(SERVERS_PROPERTY) != null) {
                return;
            }
            String external = System.getenv(BOOTSTRAP_ENV);
            String servers = external != null && !external.isBlank() ? external : startBroker();
            System.setProperty(PREFIX_PROPERTY, "test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".");
            System.setProperty(SERVERS_PROPERTY, servers);
        }
    }

    /** The {@code bootstrap.servers} of the shared broker, for raw producers and consumers in tests. */
    public static String bootstrapServers() {
        ensureStarted();
        return System.getProperty(SERVERS_PROPERTY);
    }

    /** The {@code test-<8 hex>.} prefix of this JVM's topics and consumer groups. */
    public static String runPrefix() {
        ensureStarted();
        return System.getProperty(PREFIX_PROPERTY);
    }

    private static String startBroker() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("taskq-test-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaBroker broker = KafkaBroker.start(dataDir, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            TestFiles.deleteRecursively(dataDir);
        }, "kafka-test-broker-shutdown"));
        return broker.bootstrapServers();
    }
}
