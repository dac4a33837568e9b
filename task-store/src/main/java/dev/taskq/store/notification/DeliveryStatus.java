package dev.taskq.store.notification;

import java.util.EnumSet;
import java.util.Set;

/** Where a delivery stands. PENDING is the only state the delivery loop works on. */
public enum DeliveryStatus {
    /** Due at next_attempt_at (now, or after a backoff). */
    PENDING,
    DELIVERED,
    /** The receiver rejected it in a way a retry cannot fix (e.g. a 400 from Discord). */
    FAILED,
    /** Every retry of the schedule failed. */
    DEAD,
    /** The destination was disabled (deleted webhook, 410 Gone, or by hand). */
    DISABLED;

    /** The states {@code POST …/redeliver} may reset to PENDING. */
    public static Set<DeliveryStatus> redeliverable() {
        return EnumSet.of(FAILED, DEAD, DISABLED);
    }
}
