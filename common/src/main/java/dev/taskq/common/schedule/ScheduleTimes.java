package dev.taskq.common.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule fires: every match of a cron expression in a zone, or once at {@code runAt}; bounded by an
 * optional {@code startAt} (no fire time before it) and {@code endAt} (none after it).
 */
public record ScheduleTimes(CronExpression cron, ZoneId zone, Instant runAt, Instant startAt, Instant endAt) {

    public ScheduleTimes {
        if ((cron == null) == (runAt == null)) {
            throw new IllegalArgumentException("a schedule has either a cron expression or a runAt time");
        }
    }

    public static ScheduleTimes cron(CronExpression cron, ZoneId zone, Instant startAt, Instant endAt) {
        return new ScheduleTimes(cron, zone, null, startAt, endAt);
    }

    public static ScheduleTimes once(Instant runAt) {
        return new ScheduleTimes(null, ZoneId.of("UTC"), runAt, null, null);
    }

    /** The first fire time strictly after {@code after}; empty when the schedule has no more. */
    public Optional<Instant> nextAfter(Instant after) {
        Optional<Instant> next;
        if (runAt != null) {
            next = runAt.isAfter(after) ? Optional.of(runAt) : Optional.empty();
        } else {
            // startAt is inclusive: a cron match exactly at startAt fires.
            Instant from = startAt != null && startAt.minusNanos(1).isAfter(after) ? startAt.minusNanos(1) : after;
            next = cron.nextAfter(from, zone);
        }
        return next.filter(time -> endAt == null || !time.isAfter(endAt));
    }

    /** Up to {@code count} fire times after {@code after}, in order. */
    public List<Instant> next(int count, Instant after) {
        List<Instant> times = new ArrayList<>(count);
        Instant cursor = after;
        while (times.size() < count) {
            Optional<Instant> next = nextAfter(cursor);
            if (next.isEmpty()) {
                break;
            }
            times.add(next.get());
            cursor = next.get();
        }
        return times;
    }
}
