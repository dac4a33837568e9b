package dev.taskq.common.schedule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * What one pass of the scheduler does for a due schedule: the fire times to fire (oldest first), the ones to record
 * as MISSED, and the next fire time after now (empty: the schedule has none left).
 *
 * @param skipped how many due fire times got neither a task nor a MISSED row (skip policy, or beyond the bound)
 */
public record FirePlan(List<Instant> fire, List<Instant> missed, Optional<Instant> next, int skipped) {

    /**
     * Plans a schedule due at {@code due}. A fire time is <em>late</em> (missed) when {@code downtime} says no scheduler
     * ran then (see {@link Downtime#missed}); the others that are due fire normally whatever the policy, however late.
     * Late ones: skip fires none; catchup fires the latest {@code maxCatchup}; fail records the latest
     * {@code maxCatchup} as MISSED. Older ones beyond that bound are only counted. At most {@code maxCatchup} fire
     * times fire in one plan, the latest: a backlog fires late, but not every fire time of an hour behind.
     */
    public static FirePlan plan(ScheduleTimes times, Instant due, Instant now, Downtime downtime,
                                MissedRunPolicy policy, int maxCatchup) {
        Deque<Instant> late = new ArrayDeque<>();
        List<Instant> onTime = new ArrayList<>();
        int dropped = 0;
        Optional<Instant> cursor = Optional.ofNullable(due);
        while (cursor.isPresent() && !cursor.get().isAfter(now)) {
            Instant time = cursor.get();
            if (downtime.missed(time, now)) {
                late.addLast(time);
                if (late.size() > maxCatchup) {
                    late.removeFirst();
                    dropped++;
                }
            } else {
                onTime.add(time);
            }
            cursor = times.nextAfter(time);
        }
        List<Instant> fire = new ArrayList<>();
        List<Instant> missed = new ArrayList<>();
        switch (policy) {
            case SKIP -> dropped += late.size();
            case CATCHUP -> fire.addAll(late);
            case FAIL -> missed.addAll(late);
        }
        fire.addAll(onTime);
        // A long backlog must not turn into an unbounded burst of one schedule's runs (every minute of an hour-long
        // backlog): the latest maxCatchup fire, older ones are counted as skipped.
        while (fire.size() > maxCatchup) {
            fire.removeFirst();
            dropped++;
        }
        return new FirePlan(List.copyOf(fire), List.copyOf(missed), cursor, dropped);
    }
}
