package dev.taskq.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.worker.domain.ProcFormats.CpuTimes;
import org.junit.jupiter.api.Test;

class ProcFormatsTest {

    @Test
    void meminfoFieldsAreReadAsBytes() {
        String meminfo = """
                MemTotal:       24684084 kB
                MemFree:        19347220 kB
                MemAvailable:   21512588 kB
                HugePages_Total:       0
                """;

        assertThat(ProcFormats.meminfo(meminfo))
                .containsEntry("MemTotal", 24684084L * 1024)
                .containsEntry("MemAvailable", 21512588L * 1024)
                .containsEntry("HugePages_Total", 0L);
    }

    @Test
    void theAggregateCpuLineCountsIdleAndIowaitAsIdleAndLeavesGuestOut() {
        String stat = """
                cpu  100 20 30 400 50 6 4 10 99 99
                cpu0 50 10 15 200 25 3 2 5 0 0
                intr 12345
                """;

        // busy: user 100 + nice 20 + system 30 + irq 6 + softirq 4 + steal 10; idle: 400 + iowait 50.
        assertThat(ProcFormats.stat(stat)).isEqualTo(new CpuTimes(170, 620));
    }

    @Test
    void aStatWithoutACpuLineIsUnknown() {
        assertThat(ProcFormats.stat("intr 1\nctxt 2\n")).isNull();
    }

    @Test
    void theLoadAverageIsTheFirstField() {
        assertThat(ProcFormats.loadavg("12.50 9.83 9.10 9/537 15369\n")).isEqualTo(12.5);
        assertThat(ProcFormats.loadavg("")).isNull();
    }

    @Test
    void cgroupLimitsOfMaxOrMinusOneAreNoLimit() {
        assertThat(ProcFormats.limit("max\n")).isNull();
        assertThat(ProcFormats.limit("-1\n")).isNull();
        assertThat(ProcFormats.limit("2147483648\n")).isEqualTo(2147483648L);
    }

    @Test
    void cpuMaxGivesTheCpusTheQuotaAllows() {
        assertThat(ProcFormats.cpuMax("150000 100000\n")).isEqualTo(1.5);
        assertThat(ProcFormats.cpuMax("max 100000\n")).isNull();
    }

    @Test
    void aKeyedFileGivesTheValueOfItsKey() {
        String cpuStat = "usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\n";

        assertThat(ProcFormats.keyed(cpuStat, "usage_usec")).isEqualTo(123456L);
        assertThat(ProcFormats.keyed(cpuStat, "nr_throttled")).isNull();
    }
}
