package dev.taskq.gateway.api;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A task as the list shows it: where it stands (with the question it waits to have answered), without its attempts and result. */
public record TaskSummary(
        UUID id,
        String promptPreview,
        int priority,
        PriorityClass priorityClass,
        TaskStatus status,
        String statusReason,
        PendingQuestionView question,
        String pool,
        String model,
        SubmitterView submittedBy,
        UUID workflowId,
        String workflowRef,
        @Schema(description = "The Claude Code session that submitted it (X-Claude-Session-Id, or the MCP connection the main-session kit bound); null when none was named.")
        String submittedBySession,
        int currentAttempt,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        TaskLinks links) {

    static final int PREVIEW_CHARS = 200;

    static TaskSummary of(TaskEntity task, TaskQuestionEntity pendingQuestion) {
        String preview = task.prompt.length() <= PREVIEW_CHARS ? task.prompt : task.prompt.substring(0, PREVIEW_CHARS) + "…";
        return new TaskSummary(task.id, preview, task.priority, PriorityClass.of(task.priority), task.status,
                task.statusReason, PendingQuestionView.of(pendingQuestion), task.pool, task.model, SubmitterView.of(task), task.workflowId,
                task.workflowRef, task.submittedBySession, task.currentAttempt, task.createdAt, task.updatedAt, task.finishedAt,
                TaskLinks.of(task.id));
    }
}
