package dev.taskq.gateway.persistence;

import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskEntity;
import java.util.List;
import java.util.UUID;

/**
 * A task with its dependency ids, its attempts (oldest first), its notify entries (in the client's order) and, while
 * it has not started, why it waits.
 */
public record TaskDetails(TaskEntity task, List<UUID> dependsOn, List<TaskAttemptEntity> attempts,
                          List<TaskNotificationEntity> notifications, String waitingReason) {}
