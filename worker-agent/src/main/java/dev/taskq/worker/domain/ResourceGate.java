package dev.taskq.worker.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the host can take another session: enough available memory and CPUs not saturated. Unknown readings never
 * close it, and it only rules on further sessions: a worker running none always takes one, or a fleet of busy
 * machines would start nothing at all.
 *
 * @param minFreeMemoryBytes the gate closes while less memory than this is available
 * @param maxCpu the gate closes while the CPUs are busier than this fraction (1 turns the rule off)
 * @param maxLoadPerCore the gate closes while the one-minute load average per core exceeds this; empty turns it off
 */
public record ResourceGate(long minFreeMemoryBytes, double maxCpu, Optional<Double> maxLoadPerCore) {

    /** The gate's ruling on a reading: open, or closed for the reason given. */
    public record Verdict(boolean open, String reason) {

        static final Verdict OPEN = new Verdict(true, "readings within thresholds");
    }

    public Verdict assess(ResourceReadings readings) {
        Long available = readings.memoryAvailableBytes();
        if (available != null && available < minFreeMemoryBytes) {
            return closed("available memory %d MiB is below %d MiB", mib(available), mib(minFreeMemoryBytes));
        }
        Double cpu = readings.cpuBusy();
        if (cpu != null && maxCpu < 1 && cpu > maxCpu) {
            return closed("CPU busy %.2f is above %.2f", cpu, maxCpu);
        }
        Double load = readings.load1();
        if (load != null && maxLoadPerCore.isPresent()) {
            double perCore = load / Math.max(1, readings.cores());
            if (perCore > maxLoadPerCore.get()) {
                return closed("load %.2f on %d core(s) is above %.2f per core", load, readings.cores(), maxLoadPerCore.get());
            }
        }
        return Verdict.OPEN;
    }

    /** Whether a worker with {@code busySlots} sessions under this verdict may start another (free slots aside). */
    public static boolean admitsAnother(Verdict verdict, int busySlots) {
        return busySlots == 0 || verdict.open();
    }

    private static Verdict closed(String format, Object... args) {
        return new Verdict(false, String.format(Locale.ROOT, format, args));
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
