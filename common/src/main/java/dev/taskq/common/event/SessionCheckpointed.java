package dev.taskq.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A running session's checkpoint, read periodically by its worker, so that a session whose worker dies or is drained
 * can be picked up from close to where it stopped. The last one of an attempt replaces the ones before it.
 */
public record SessionCheckpointed(
        UUID taskId, int attempt, String workerId, long sequence, Instant at, Checkpoint checkpoint)
        implements TaskEvent {}
