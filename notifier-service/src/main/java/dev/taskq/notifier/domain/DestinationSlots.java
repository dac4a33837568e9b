package dev.taskq.notifier.domain;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * This replica's sends in flight per destination (at most N each) and the destinations a receiver asked to
 * wait (429 with retry_after). A slow or hanging receiver holds only its own slots, so it never delays others.
 */
public final class DestinationSlots {

    private final int perDestination;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();

    public DestinationSlots(int perDestination) {
        this.perDestination = perDestination;
    }

    public int perDestination() {
        return perDestination;
    }

    public boolean tryAcquire(String key) {
        return slots.computeIfAbsent(key, k -> new Semaphore(perDestination)).tryAcquire();
    }

    public void release(String key) {
        Semaphore semaphore = slots.get(key);
        if (semaphore != null) {
            semaphore.release();
            // Forget idle destinations (every task's inline destinations are keys too). Safe: only the claim
            // loop acquires, and an idle semaphore has no sender that could release it concurrently.
            slots.computeIfPresent(key, (k, s) -> s.availablePermits() == perDestination ? null : s);
        }
    }

    public int free(String key) {
        Semaphore semaphore = slots.get(key);
        return semaphore == null ? perDestination : semaphore.availablePermits();
    }

    public void pause(String key, Instant until) {
        pausedUntil.merge(key, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Destinations the next claim must skip: no free slot here, or paused by the receiver. */
    public Set<String> unavailable(Instant now) {
        Set<String> keys = new HashSet<>();
        slots.forEach((key, semaphore) -> {
            if (semaphore.availablePermits() == 0) {
                keys.add(key);
            }
        });
        pausedUntil.entrySet().removeIf(entry -> !entry.getValue().isAfter(now));
        keys.addAll(pausedUntil.keySet());
        return keys;
    }
}
