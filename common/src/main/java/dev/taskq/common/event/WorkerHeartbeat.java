package dev.taskq.common.event;

import java.time.Instant;
import java.util.List;

/** A worker's periodic sign of life: one message per worker covers all the attempts it runs. */
public record WorkerHeartbeat(
        String workerId, String host, Instant at, int slots, int busySlots, List<String> pools, List<AttemptRef> running) {}
