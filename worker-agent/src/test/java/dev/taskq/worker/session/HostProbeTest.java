package dev.taskq.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.worker.domain.ProcFormats.CpuTimes;
import dev.taskq.worker.domain.ResourceReadings;
import dev.taskq.worker.session.HostProbe.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path procfs;

    @TempDir
    Path sysfs;

    @Test
    void aBareHostIsReadFromProc() throws IOException {
        hostProc(20_000 * MIB, 24_000 * MIB);
        // cgroup v1 at the root: no limit, which it spells as a huge number.
        write(sysfs.resolve("fs/cgroup/memory/memory.limit_in_bytes"), "9223372036854771712\n");
        write(sysfs.resolve("fs/cgroup/memory/memory.usage_in_bytes"), "4950900736\n");

        Sample sample = new HostProbe(procfs, sysfs).sample();
        ResourceReadings readings = ResourceMonitor.readings(sample, sample, 2);

        assertThat(readings.memoryAvailableBytes()).isEqualTo(20_000 * MIB);
        assertThat(readings.memoryTotalBytes()).isEqualTo(24_000 * MIB);
        assertThat(readings.load1()).isEqualTo(1.25);
        assertThat(sample.hostCpu()).isEqualTo(new CpuTimes(150, 550));
        // One sample tells nothing of how busy the CPUs are.
        assertThat(readings.cpuBusy()).isNull();
    }

    @Test
    void aContainersCgroupV2LimitNarrowsTheHostsMemory() throws IOException {
        hostProc(20_000 * MIB, 24_000 * MIB);
        Path cgroup = sysfs.resolve("fs/cgroup");
        write(cgroup.resolve("cgroup.controllers"), "cpu memory pids\n");
        write(cgroup.resolve("memory.max"), Long.toString(1024 * MIB));
        write(cgroup.resolve("memory.current"), Long.toString(900 * MIB));
        // Page cache the kernel can drop does not count as used.
        write(cgroup.resolve("memory.stat"), "anon 1000\ninactive_file " + (100 * MIB) + "\n");
        write(cgroup.resolve("cpu.max"), "150000 100000\n");
        write(cgroup.resolve("cpu.stat"), "usage_usec 5000\n");

        Sample sample = new HostProbe(procfs, sysfs).sample();
        ResourceReadings readings = ResourceMonitor.readings(sample, sample, 2);

        assertThat(readings.memoryTotalBytes()).isEqualTo(1024 * MIB);
        assertThat(readings.memoryAvailableBytes()).isEqualTo(224 * MIB);
        assertThat(sample.cgroupCpus()).isEqualTo(1.5);
        assertThat(sample.cgroupCpuNanos()).isEqualTo(5_000_000L);
    }

    @Test
    void theCpuBusyFractionIsTheShareOfBusyTicksBetweenTwoSamples() {
        Sample before = sample(0, new CpuTimes(1000, 5000), null, null);
        Sample after = sample(1_000_000_000L, new CpuTimes(1180, 5200), null, null);

        assertThat(ResourceMonitor.readings(before, after, 2).cpuBusy()).isEqualTo(0.9);
    }

    @Test
    void aContainersCpuQuotaIsWhatItsBusyFractionIsMeasuredAgainst() {
        // 1.5 s of CPU in 1 s of wall time on a quota of 2 CPUs; the host's idle CPUs do not matter.
        Sample before = sample(0, new CpuTimes(0, 10_000), 2.0, 0L);
        Sample after = sample(1_000_000_000L, new CpuTimes(10, 10_400), 2.0, 1_500_000_000L);

        assertThat(ResourceMonitor.readings(before, after, 2).cpuBusy()).isEqualTo(0.75);
    }

    @Test
    void withoutProcTheJvmsViewOfTheOsIsUsed() {
        Sample sample = new HostProbe(procfs.resolve("absent"), sysfs).sample();

        assertThat(sample.memoryTotalBytes()).isPositive();
        assertThat(sample.memoryAvailableBytes()).isNotNull();
    }

    private void hostProc(long available, long total) throws IOException {
        write(procfs.resolve("meminfo"), "MemTotal: %d kB\nMemFree: 1 kB\nMemAvailable: %d kB\n".formatted(total / 1024, available / 1024));
        write(procfs.resolve("stat"), "cpu  100 10 30 350 50 5 5 0 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n");
        write(procfs.resolve("loadavg"), "1.25 0.80 0.50 2/300 4242\n");
    }

    private static Sample sample(long at, CpuTimes host, Double cgroupCpus, Long cgroupNanos) {
        return new Sample(at, 4096 * MIB, 8192 * MIB, host, 1.0, null, null, cgroupCpus, cgroupNanos, null);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
