package dev.taskq.notifier.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** The pause before each retry, with jitter; empty once the schedule is used up and the delivery is dead. */
public record RetrySchedule(List<Duration> pauses, double jitter) {

    public RetrySchedule {
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        pauses = List.copyOf(pauses);
    }

    /** How many attempts a delivery gets in all: the first plus one per pause. */
    public int maxAttempts() {
        return pauses.size() + 1;
    }

    /**
     * The pause after the {@code failedAttempts}-th failed attempt (1 for the first), within
     * {@code pause × (1 ± jitter)}; empty when no retry is left.
     */
    public Optional<Duration> pauseAfter(int failedAttempts, RandomGenerator random) {
        if (failedAttempts < 1 || failedAttempts > pauses.size()) {
            return Optional.empty();
        }
        long base = pauses.get(failedAttempts - 1).toMillis();
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Optional.of(Duration.ofMillis(Math.max(0, Math.round(base * factor))));
    }
}
