package dev.taskq.dependency.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DutyCycleTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theFirstRunIsAlwaysDue() {
        assertThat(new DutyCycle(0.02).due(123L)).isTrue();
    }

    @Test
    void aCheapRunLeavesTheNextOneDueAtTheNextRefresh() {
        DutyCycle cycle = new DutyCycle(0.02);
        cycle.ran(0, 20 * MS);

        // 20 ms at 2% is one run per second: a 5 s refresh interval runs it every time.
        assertThat(cycle.due(1_000 * MS)).isTrue();
        assertThat(cycle.due(5_000 * MS)).isTrue();
    }

    @Test
    void anExpensiveRunIsSpacedOutToItsShareOfTheTime() {
        DutyCycle cycle = new DutyCycle(0.02);
        cycle.ran(1_000 * MS, 500 * MS);

        assertThat(cycle.due(5_000 * MS)).isFalse();
        assertThat(cycle.due(25_000 * MS)).isFalse();
        assertThat(cycle.due(26_000 * MS)).isTrue();
    }

    @Test
    void worksAcrossTheNanoTimeWrapAround() {
        DutyCycle cycle = new DutyCycle(0.5);
        cycle.ran(Long.MAX_VALUE - 10 * MS, 10 * MS);

        assertThat(cycle.due(Long.MAX_VALUE)).isFalse();
        assertThat(cycle.due(Long.MAX_VALUE + 10 * MS + 1)).isTrue();
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new DutyCycle(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DutyCycle(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
