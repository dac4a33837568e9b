package dev.taskq.common.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The periods in which no scheduler ran, and the rule that makes a fire time <em>missed</em>: it fell inside one of
 * them and is more than {@code grace} before now. A fire time that is late only because the schedulers had a backlog
 * (they ran, but had not reached it yet) is not missed, however late: it fires.
 *
 * @param periods when no scheduler ran, each from the last pass before the gap to the first pass after it
 * @param grace   how late a fire time due while no scheduler ran may be and still fire (a short restart is no downtime)
 */
public record Downtime(List<Period> periods, Duration grace) {

    /** No scheduler ran after {@code from} until {@code until}. */
    public record Period(Instant from, Instant until) {}

    public Downtime {
        periods = List.copyOf(periods);
    }

    /** Whether {@code fireTime} passed while no scheduler ran, more than the grace before {@code now}. */
    public boolean missed(Instant fireTime, Instant now) {
        if (!fireTime.isBefore(now.minus(grace))) {
            return false;
        }
        for (Period period : periods) {
            if (fireTime.isAfter(period.from()) && !fireTime.isAfter(period.until())) {
                return true;
            }
        }
        return false;
    }
}
