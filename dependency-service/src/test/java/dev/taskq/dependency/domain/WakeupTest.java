package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WakeupTest {

    @Test
    void aSignalGivenBeforeTheWaitEndsItAtOnce() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        wakeup.signal();
        long start = System.nanoTime();
        wakeup.await(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void manySignalsCoalesceIntoOneWakeUp() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        for (int i = 0; i < 10; i++) {
            wakeup.signal();
        }
        wakeup.await(Duration.ofSeconds(5));
        long start = System.nanoTime();
        wakeup.await(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
    }
}
