package dev.taskq.worker.domain;

/**
 * One reading of the host (or of the container the worker runs in); a value the worker could not read is null.
 *
 * @param memoryAvailableBytes memory a new session could use without swapping or reclaiming the working set
 * @param memoryTotalBytes the host's memory, or the container's limit when lower
 * @param cpuBusy fraction of the CPUs (or of the container's CPU quota) busy over the sampling window, 0..1
 * @param load1 the one-minute load average
 * @param cores CPUs this process may use, to normalise the load average
 */
public record ResourceReadings(Long memoryAvailableBytes, Long memoryTotalBytes, Double cpuBusy, Double load1, int cores) {

    /** Nothing read yet, or nothing readable on this platform. */
    public static ResourceReadings unknown(int cores) {
        return new ResourceReadings(null, null, null, null, cores);
    }
}
