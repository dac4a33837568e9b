package dev.taskq.worker.session;

import com.sun.management.OperatingSystemMXBean;
import dev.taskq.worker.domain.ProcFormats;
import dev.taskq.worker.domain.ProcFormats.CpuTimes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the host's memory, CPU time and load from {@code /proc}, narrowed to the container's cgroup (v2, else v1)
 * where it sets limits; the JVM's own view of the OS when {@code /proc} cannot be read. Files that do not exist are
 * skipped, so the same code serves bare hosts, containers and other platforms.
 */
public class HostProbe {

    /**
     * One raw sample; CPU times are cumulative, so a busy fraction needs two. Null fields could not be read.
     *
     * @param memoryAvailableBytes host memory available ({@code MemAvailable})
     * @param memoryTotalBytes host memory ({@code MemTotal})
     * @param hostCpu the host's cumulative CPU ticks
     * @param load1 one-minute load average
     * @param cgroupMemoryLimit the container's memory limit
     * @param cgroupMemoryUsed the container's memory in use, without the page cache it could drop
     * @param cgroupCpus the CPUs the container's quota allows
     * @param cgroupCpuNanos the container's cumulative CPU time
     * @param jvmCpuBusy the JVM's own CPU busy reading, used only without {@code /proc}
     */
    public record Sample(long atNanos, Long memoryAvailableBytes, Long memoryTotalBytes, CpuTimes hostCpu, Double load1,
            Long cgroupMemoryLimit, Long cgroupMemoryUsed, Double cgroupCpus, Long cgroupCpuNanos, Double jvmCpuBusy) {}

    private final Path procfs;
    private final Path cgroupRoot;

    public HostProbe(Path procfs, Path sysfs) {
        this.procfs = procfs;
        this.cgroupRoot = sysfs.resolve("fs/cgroup");
    }

    public Sample sample() {
        long at = System.nanoTime();
        String meminfo = read(procfs.resolve("meminfo"));
        if (meminfo == null) {
            return jvmSample(at);
        }
        Map<String, Long> memory = ProcFormats.meminfo(meminfo);
        CpuTimes cpu = parse(procfs.resolve("stat"), ProcFormats::stat);
        Double load1 = parse(procfs.resolve("loadavg"), ProcFormats::loadavg);
        return isCgroupV2()
                ? new Sample(at, memory.get("MemAvailable"), memory.get("MemTotal"), cpu, load1,
                        parse(cgroupRoot.resolve("memory.max"), ProcFormats::limit),
                        workingSet(cgroupRoot.resolve("memory.current"), cgroupRoot.resolve("memory.stat"), "inactive_file"),
                        parse(cgroupRoot.resolve("cpu.max"), ProcFormats::cpuMax),
                        micros(parse(cgroupRoot.resolve("cpu.stat"), text -> ProcFormats.keyed(text, "usage_usec"))),
                        null)
                : new Sample(at, memory.get("MemAvailable"), memory.get("MemTotal"), cpu, load1,
                        parse(cgroupRoot.resolve("memory/memory.limit_in_bytes"), ProcFormats::limit),
                        workingSet(cgroupRoot.resolve("memory/memory.usage_in_bytes"),
                                cgroupRoot.resolve("memory/memory.stat"), "total_inactive_file"),
                        v1Cpus(),
                        parse(cgroupRoot.resolve("cpuacct/cpuacct.usage"), ProcFormats::limit),
                        null);
    }

    private boolean isCgroupV2() {
        return Files.exists(cgroupRoot.resolve("cgroup.controllers"));
    }

    private Long workingSet(Path usage, Path stat, String inactiveKey) {
        Long used = parse(usage, ProcFormats::limit);
        if (used == null) {
            return null;
        }
        Long inactive = parse(stat, text -> ProcFormats.keyed(text, inactiveKey));
        return inactive == null ? used : Math.max(0, used - inactive);
    }

    private Double v1Cpus() {
        Long quota = parse(cgroupRoot.resolve("cpu/cpu.cfs_quota_us"), ProcFormats::limit);
        Long period = parse(cgroupRoot.resolve("cpu/cpu.cfs_period_us"), ProcFormats::limit);
        return quota == null || period == null || quota <= 0 || period <= 0 ? null : quota / (double) period;
    }

    private static Long micros(Long usec) {
        return usec == null ? null : usec * 1000;
    }

    private static Sample jvmSample(long at) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os)) {
            return new Sample(at, null, null, null, null, null, null, null, null, null);
        }
        double load = os.getSystemLoadAverage();
        double cpu = os.getCpuLoad();
        // Free, not available, memory: it leaves out the page cache, so this errs towards closing the gate.
        return new Sample(at, os.getFreeMemorySize(), os.getTotalMemorySize(), null, load < 0 ? null : load,
                null, null, null, null, cpu < 0 ? null : cpu);
    }

    private static <T> T parse(Path file, Function<String, T> parser) {
        String text = read(file);
        try {
            return text == null ? null : parser.apply(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            // Absent on this platform or in this container: the reading is simply unknown.
            return null;
        }
    }
}
