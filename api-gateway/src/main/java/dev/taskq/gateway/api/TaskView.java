package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.store.persistence.TaskEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A task in full, as GET /api/v1/tasks/{id} returns it. */
public record TaskView(
        UUID id,
        String prompt,
        int priority,
        PriorityClass priorityClass,
        TaskStatus status,
        String statusReason,
        String pool,
        String workingDir,
        int timeoutSeconds,
        Integer maxTurns,
        String model,
        Map<String, String> metadata,
        int maxAttempts,
        List<UUID> dependsOn,
        int unmetDependencies,
        List<AttemptView> attempts,
        int currentAttempt,
        UUID sessionId,
        ResultView result,
        Instant createdAt,
        Instant readyAt,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        @JsonProperty("notify") List<NotifyView> notifications,
        TaskLinks links) {

    static TaskView of(TaskDetails details) {
        TaskEntity task = details.task();
        return new TaskView(task.id, task.prompt, task.priority, PriorityClass.of(task.priority), task.status,
                task.statusReason, task.pool, task.workingDir, task.timeoutSeconds, task.maxTurns, task.model,
                task.metadata, task.maxAttempts, details.dependsOn(), task.unmetDependencies,
                details.attempts().stream().map(AttemptView::of).toList(), task.currentAttempt, task.sessionId,
                ResultView.of(task), task.createdAt, task.readyAt, task.dispatchedAt, task.startedAt, task.finishedAt,
                task.updatedAt, details.notifications().stream().map(NotifyView::of).toList(), TaskLinks.of(task.id));
    }
}
