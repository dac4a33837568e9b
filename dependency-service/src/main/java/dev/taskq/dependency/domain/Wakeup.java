package dev.taskq.dependency.domain;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a polling loop early. Signals that arrive while the loop is busy are remembered (coalesced into
 * one), so a signal is never lost between a loop's pass and its next wait.
 */
public final class Wakeup {

    private final Semaphore permits = new Semaphore(0);

    public void signal() {
        // A racy check is fine: at worst two permits make the loop run one extra, empty pass.
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Returns when signalled or after {@code max}, whichever comes first. */
    public void await(Duration max) throws InterruptedException {
        permits.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS);
        // Whatever was signalled up to now is covered by the pass that follows.
        permits.drainPermits();
    }
}
