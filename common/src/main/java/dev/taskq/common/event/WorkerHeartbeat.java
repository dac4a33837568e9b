package dev.taskq.common.event;

import java.time.Instant;
import java.util.List;

/**
 * A worker's periodic sign of life: one message per worker covers all the attempts it runs. {@code resources} is null
 * in heartbeats of workers older than the resource gate.
 */
public record WorkerHeartbeat(
        String workerId, String host, Instant at, int slots, int busySlots, List<String> pools, List<AttemptRef> running,
        Resources resources) {

    /**
     * The host's state as the worker's resource gate last read it; a reading the worker could not take is null.
     *
     * @param memoryAvailableBytes memory a new session could use (the container's limit counted when there is one)
     * @param memoryTotalBytes the host's memory, or the container's limit when lower
     * @param cpuBusy fraction of the CPUs (or of the container's CPU quota) busy over the gate's window, 0..1
     * @param load1 the one-minute load average
     * @param gateOpen whether the readings are within the gate's thresholds (a worker running nothing takes one task
     *     even when they are not)
     */
    public record Resources(Long memoryAvailableBytes, Long memoryTotalBytes, Double cpuBusy, Double load1, Boolean gateOpen) {}
}
