package dev.taskq.gateway.persistence;

import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskEntity;
import java.util.List;
import java.util.UUID;

/** A task with its dependency ids and its attempts, oldest attempt first. */
public record TaskDetails(TaskEntity task, List<UUID> dependsOn, List<TaskAttemptEntity> attempts) {}
