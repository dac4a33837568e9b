package dev.taskq.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.worker.domain.ResourceGate.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourceGateTest {

    private static final long MIB = 1024 * 1024;
    private static final ResourceGate DEFAULTS = new ResourceGate(512 * MIB, 0.95, Optional.empty());

    @Test
    void aHostWithRoomIsOpen() {
        assertThat(DEFAULTS.assess(readings(4096 * MIB, 0.5, 1.0, 2)).open()).isTrue();
    }

    @Test
    void tooLittleAvailableMemoryClosesItAndSaysWhy() {
        Verdict verdict = DEFAULTS.assess(readings(300 * MIB, 0.1, 0.1, 2));

        assertThat(verdict.open()).isFalse();
        assertThat(verdict.reason()).isEqualTo("available memory 300 MiB is below 512 MiB");
    }

    @Test
    void saturatedCpusCloseIt() {
        Verdict verdict = DEFAULTS.assess(readings(4096 * MIB, 0.99, 2.0, 2));

        assertThat(verdict.open()).isFalse();
        assertThat(verdict.reason()).isEqualTo("CPU busy 0.99 is above 0.95");
    }

    @Test
    void busyButNotSaturatedCpusLeaveItOpen() {
        assertThat(DEFAULTS.assess(readings(4096 * MIB, 0.9, 2.0, 2)).open()).isTrue();
    }

    @Test
    void aHighLoadAverageAloneLeavesTheDefaultGateOpenOnASmallMachine() {
        // A busy 2-core CI box: load 12 mostly from processes waiting on I/O, CPUs not saturated.
        assertThat(DEFAULTS.assess(readings(4096 * MIB, 0.7, 12.0, 2)).open()).isTrue();
    }

    @Test
    void aLoadRuleIsJudgedPerCore() {
        ResourceGate loadRule = new ResourceGate(0, 1, Optional.of(2.0));

        assertThat(loadRule.assess(readings(null, null, 12.0, 8)).open()).isTrue();
        Verdict small = loadRule.assess(readings(null, null, 12.0, 2));
        assertThat(small.open()).isFalse();
        assertThat(small.reason()).isEqualTo("load 12.00 on 2 core(s) is above 2.00 per core");
    }

    @Test
    void aMaxCpuOfOneTurnsTheCpuRuleOff() {
        assertThat(new ResourceGate(0, 1, Optional.empty()).assess(readings(null, 1.0, null, 2)).open()).isTrue();
    }

    @Test
    void unknownReadingsNeverCloseIt() {
        ResourceGate strict = new ResourceGate(Long.MAX_VALUE, 0.0, Optional.of(0.0));

        assertThat(strict.assess(ResourceReadings.unknown(2)).open()).isTrue();
    }

    @Test
    void aClosedGateStillLetsAnIdleWorkerStartOneSession() {
        Verdict closed = DEFAULTS.assess(readings(100 * MIB, 1.0, 50.0, 2));

        assertThat(ResourceGate.admitsAnother(closed, 0)).isTrue();
        assertThat(ResourceGate.admitsAnother(closed, 1)).isFalse();
    }

    @Test
    void anOpenGateAdmitsWhateverRuns() {
        Verdict open = DEFAULTS.assess(readings(4096 * MIB, 0.2, 0.2, 2));

        assertThat(ResourceGate.admitsAnother(open, 5)).isTrue();
    }

    private static ResourceReadings readings(Long available, Double cpu, Double load, int cores) {
        return new ResourceReadings(available, available == null ? null : 8192 * MIB, cpu, load, cores);
    }
}
