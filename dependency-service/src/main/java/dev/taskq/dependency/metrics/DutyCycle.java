package dev.taskq.dependency.metrics;

/**
 * Spaces out a periodic query whose cost grows with the data so that it takes at most a given share of the time:
 * after a run that took {@code t}, the next is due {@code t / share} after that run started.
 */
final class DutyCycle {

    private final double share;
    private boolean ranBefore;
    private long nextDueNanos;

    DutyCycle(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], got " + share);
        }
        this.share = share;
    }

    /** Whether a run may start at {@code nowNanos} (a {@link System#nanoTime()} reading). */
    boolean due(long nowNanos) {
        return !ranBefore || nowNanos - nextDueNanos >= 0;
    }

    /** Records a run that started at {@code startNanos} and took {@code tookNanos}. */
    void ran(long startNanos, long tookNanos) {
        ranBefore = true;
        nextDueNanos = startNanos + (long) (Math.max(0, tookNanos) / share);
    }
}
