package dev.taskq.worker.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A host of 8 GiB whose available memory a test sets: the worker's resource gate reads this procfs instead of the
 * real one (and an empty sysfs, so no cgroup limits), with the gate on and sampling fast.
 */
public class SimulatedHost implements QuarkusTestResourceLifecycleManager {

    private static final long MIB = 1024 * 1024;
    private static Path procfs;

    @Override
    public Map<String, String> start() {
        try {
            procfs = Files.createTempDirectory("taskq-procfs-");
            Path sysfs = Files.createTempDirectory("taskq-sysfs-");
            Files.writeString(procfs.resolve("loadavg"), "0.50 0.40 0.30 1/200 4242\n");
            // CPU ticks that never move: the busy fraction stays unknown, so only memory decides.
            Files.writeString(procfs.resolve("stat"), "cpu  100 0 100 10000 0 0 0 0 0 0\n");
            roomy();
            return Map.of(
                    "taskq.worker.gate.enabled", "true",
                    "taskq.worker.gate.procfs", procfs.toString(),
                    "taskq.worker.gate.sysfs", sysfs.toString(),
                    "taskq.worker.gate.min-free-memory", "512M",
                    "taskq.worker.gate.sample-interval", "100ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 6 GiB available: the gate opens. */
    public static void roomy() {
        memoryAvailable(6144 * MIB);
    }

    /** 256 MiB available, below the gate's 512M: it closes. */
    public static void shortOfMemory() {
        memoryAvailable(256 * MIB);
    }

    private static void memoryAvailable(long bytes) {
        try {
            Path next = procfs.resolve("meminfo.next");
            Files.writeString(next, "MemTotal: %d kB\nMemFree: %d kB\nMemAvailable: %d kB\n"
                    .formatted(8192 * MIB / 1024, bytes / 1024, bytes / 1024));
            // Renamed into place, so the worker never reads a half-written file.
            Files.move(next, procfs.resolve("meminfo"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
