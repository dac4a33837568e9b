package dev.taskq.common.event;

import java.util.UUID;

/** Names one attempt of one task. */
public record AttemptRef(UUID taskId, int attempt) {}
