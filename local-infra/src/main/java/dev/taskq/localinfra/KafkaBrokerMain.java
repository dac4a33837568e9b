package dev.taskq.localinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs a local Kafka broker until SIGTERM: {@code --port 9092 --data-dir DIR}. */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse(args);
        Path dataDir = cli.dataDir("target/kafka-data");
        Files.createDirectories(dataDir);
        KafkaBroker broker = KafkaBroker.start(dataDir, cli.port(9092));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-broker-shutdown"));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers());
        stopped.await();
    }
}
