package dev.taskq.common.event;

import java.time.Instant;
import java.util.UUID;

/** The worker started the session process for an attempt. */
public record SessionStarted(
        UUID taskId, int attempt, String workerId, long sequence, Instant at, long pid, UUID sessionId, String host)
        implements TaskEvent {}
