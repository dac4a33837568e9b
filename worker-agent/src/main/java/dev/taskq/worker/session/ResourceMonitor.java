package dev.taskq.worker.session;

import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.domain.ResourceGate;
import dev.taskq.worker.domain.ResourceGate.Verdict;
import dev.taskq.worker.domain.ResourceReadings;
import dev.taskq.worker.session.HostProbe.Sample;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads the host on a timer and keeps the resource gate's latest verdict, so the intake asks it at no cost per poll.
 * Logs each time the gate closes or opens.
 */
@ApplicationScoped
public class ResourceMonitor {

    private static final Logger LOG = Logger.getLogger(ResourceMonitor.class);

    private final HostProbe probe;
    private final ResourceGate gate;
    private final boolean enabled;
    private final Duration sampleInterval;
    private final long cpuWindowNanos;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final Deque<Sample> window = new ArrayDeque<>();
    private volatile ResourceReadings readings = ResourceReadings.unknown(cores);
    private volatile Verdict verdict = new Verdict(true, "no reading yet");
    private ScheduledExecutorService timer;

    public ResourceMonitor(WorkerConfig config) {
        WorkerConfig.Gate settings = config.gate();
        this.probe = new HostProbe(Path.of(settings.procfs()), Path.of(settings.sysfs()));
        this.gate = new ResourceGate(settings.minFreeMemory().asLongValue(), settings.maxCpu(), settings.maxLoadPerCore());
        this.enabled = settings.enabled();
        this.sampleInterval = settings.sampleInterval();
        this.cpuWindowNanos = settings.cpuWindow().toNanos();
    }

    // Before the intake starts (WorkerLifecycle observes at the default priority), so it never runs on no reading.
    synchronized void start(@Observes @Priority(100) StartupEvent event) {
        sample();
        LOG.infof("Resource gate %s: %s; readings %s", enabled ? "on" : "off", gate, readings);
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("worker-resources").daemon().factory());
        timer.scheduleAtFixedRate(this::sampleSafely, sampleInterval.toMillis(), sampleInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Whether a worker running {@code busySlots} sessions may start another, free slots aside. */
    public boolean admitsAnother(int busySlots) {
        return !enabled || ResourceGate.admitsAnother(verdict, busySlots);
    }

    /** Whether the latest readings are within the thresholds (always, with the gate off). */
    public boolean isOpen() {
        return !enabled || verdict.open();
    }

    public ResourceReadings readings() {
        return readings;
    }

    /** The latest readings as a heartbeat carries them. */
    public WorkerHeartbeat.Resources resources() {
        ResourceReadings current = readings;
        return new WorkerHeartbeat.Resources(current.memoryAvailableBytes(), current.memoryTotalBytes(), current.cpuBusy(),
                current.load1(), isOpen());
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            // An exception escaping would cancel every later sample and freeze the verdict.
            LOG.warnf("Could not read the host's resources: %s", e.getMessage());
        }
    }

    private synchronized void sample() {
        Sample newest = probe.sample();
        window.addLast(newest);
        // Keep the newest sample at least one window old as the base of the CPU delta.
        while (window.size() > 2 && newest.atNanos() - secondOldest().atNanos() >= cpuWindowNanos) {
            window.removeFirst();
        }
        readings = readings(window.peekFirst(), newest, cores);
        Verdict next = gate.assess(readings);
        if (enabled && next.open() != verdict.open()) {
            if (next.open()) {
                LOG.infof("Resource gate open again (%s): taking dispatches on free slots", readingsText(readings));
            } else {
                LOG.warnf("Resource gate closed: %s; no further session starts until it recovers", next.reason());
            }
        }
        verdict = next;
    }

    private Sample secondOldest() {
        var iterator = window.iterator();
        iterator.next();
        return iterator.next();
    }

    /** Combines the window's oldest and newest samples: memory as of now, CPU busy across the window. */
    static ResourceReadings readings(Sample oldest, Sample newest, int cores) {
        Long total = newest.memoryTotalBytes();
        Long available = newest.memoryAvailableBytes();
        Long limit = newest.cgroupMemoryLimit();
        // A cgroup v1 without a limit reports a huge number: only a limit below the host's memory counts.
        if (limit != null && (total == null || limit < total)) {
            total = limit;
            Long used = newest.cgroupMemoryUsed();
            if (used != null) {
                long left = Math.max(0, limit - used);
                available = available == null ? left : Math.min(available, left);
            }
        }
        return new ResourceReadings(available, total, cpuBusy(oldest, newest), newest.load1(), cores);
    }

    private static Double cpuBusy(Sample oldest, Sample newest) {
        if (newest.jvmCpuBusy() != null) {
            return newest.jvmCpuBusy();
        }
        long wall = newest.atNanos() - oldest.atNanos();
        if (newest.cgroupCpus() != null && newest.cgroupCpuNanos() != null && oldest.cgroupCpuNanos() != null && wall > 0) {
            return clamp((newest.cgroupCpuNanos() - oldest.cgroupCpuNanos()) / (wall * newest.cgroupCpus()));
        }
        if (newest.hostCpu() != null && oldest.hostCpu() != null) {
            long ticks = newest.hostCpu().total() - oldest.hostCpu().total();
            if (ticks > 0) {
                return clamp((newest.hostCpu().busy() - oldest.hostCpu().busy()) / (double) ticks);
            }
        }
        return null;
    }

    private static double clamp(double fraction) {
        return Math.max(0, Math.min(1, fraction));
    }

    private static String readingsText(ResourceReadings readings) {
        return "available memory %s MiB, CPU busy %s, load %s".formatted(
                readings.memoryAvailableBytes() == null ? "?" : readings.memoryAvailableBytes() / (1024 * 1024),
                readings.cpuBusy() == null ? "?" : "%.2f".formatted(readings.cpuBusy()),
                readings.load1() == null ? "?" : readings.load1());
    }
}
