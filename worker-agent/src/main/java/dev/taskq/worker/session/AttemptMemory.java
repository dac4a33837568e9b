package dev.taskq.worker.session;

import dev.taskq.common.event.AttemptRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Attempts remembered for a while, bounded in time and in count so it never grows without limit. */
final class AttemptMemory {

    private final Duration retention;
    private final int capacity;
    private final Clock clock;
    private final LinkedHashMap<AttemptRef, Instant> entries = new LinkedHashMap<>();

    AttemptMemory(Duration retention, int capacity, Clock clock) {
        this.retention = retention;
        this.capacity = capacity;
        this.clock = clock;
    }

    synchronized void remember(AttemptRef attempt) {
        entries.remove(attempt);
        entries.put(attempt, clock.instant());
        forgetOld();
    }

    synchronized boolean contains(AttemptRef attempt) {
        forgetOld();
        return entries.containsKey(attempt);
    }

    private void forgetOld() {
        Instant cutoff = clock.instant().minus(retention);
        Iterator<Map.Entry<AttemptRef, Instant>> oldestFirst = entries.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<AttemptRef, Instant> entry = oldestFirst.next();
            if (entries.size() > capacity || entry.getValue().isBefore(cutoff)) {
                oldestFirst.remove();
            } else {
                break;
            }
        }
    }
}
