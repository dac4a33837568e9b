package dev.taskq.common.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A batch of output lines of a running session, in order. */
public record SessionLog(UUID taskId, int attempt, String workerId, long sequence, Instant at, List<LogLine> lines)
        implements TaskEvent {}
