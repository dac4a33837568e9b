package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.store.persistence.TaskEntity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A task in full, as GET /api/v1/tasks/{id} returns it. */
public record TaskView(
        UUID id,
        @Schema(description = "What the session is asked; for a command task a description (by default its command line).")
        String prompt,
        @Schema(description = "claude or command.", enumeration = {"claude", "command"})
        String kind,
        @Schema(description = "A command task's argv, or with shell its one command line; null for a claude task.")
        List<String> command,
        @Schema(description = "Whether command is a line for /bin/sh -c.")
        boolean shell,
        @Schema(description = "The agent role a claude task takes; its settings are merged in when the task is released.")
        String agent,
        int priority,
        PriorityClass priorityClass,
        @Schema(description = "The priority release orders by: the submitted one, raised by one level per aging step of waiting, at most 10.")
        int effectivePriority,
        TaskStatus status,
        String statusReason,
        @Schema(description = "Why the task has not started yet, e.g. \"waiting for 2 of 3 dependencies\" or \"no worker has ever "
                + "served pool 'gpu'\"; null once it has (or when it is not WAITING or QUEUED).")
        String waitingReason,
        PendingQuestionView question,
        String pool,
        String workingDir,
        RepoView repo,
        int timeoutSeconds,
        Integer maxTurns,
        String model,
        @Schema(description = "The session's spending cap in US dollars; null for none.")
        BigDecimal maxBudgetUsd,
        @Schema(description = "Tool patterns the session may use without asking.")
        List<String> allowedTools,
        @Schema(description = "Tool patterns the session may not use.")
        List<String> disallowedTools,
        @Schema(description = "Text appended to the session's system prompt.")
        String appendSystemPrompt,
        @Schema(description = "The session's permission mode; null when the worker's configured mode applies.")
        String permissionMode,
        Map<String, String> metadata,
        SubmitterView submittedBy,
        int maxAttempts,
        RetrySettings retry,
        List<UUID> dependsOn,
        int unmetDependencies,
        @Schema(description = TaskFieldRules.ON_DEPENDENCY_FAILURE, enumeration = {"fail", "skip", "run"})
        String onDependencyFailure,
        UUID continueFrom,
        String concurrencyKey,
        @Schema(description = "The workflow this task is a node of, if any.")
        UUID workflowId,
        @Schema(description = "The task's ref in its workflow; a manual retry's ref is the original's with #2, #3, …")
        String workflowRef,
        @Schema(description = "The Claude Code session that submitted it (X-Claude-Session-Id, or the MCP connection the main-session kit bound); null when none was named.")
        String submittedBySession,
        @Schema(description = "The task this one repeats (POST /api/v1/tasks/{id}/retry).")
        UUID retryOf,
        @Schema(description = "The task whose session this one resumes (POST /api/v1/tasks/{id}/resume).")
        UUID parentTaskId,
        @Schema(description = "The Claude session a resume continues.")
        UUID resumeSessionId,
        @Schema(description = "A QUEUED task waiting out a retry's backoff is not released before this instant.")
        Instant runAfter,
        @Schema(description = "Why the last attempt failed, as far as retrying goes.")
        FailureCause failureCause,
        @Schema(description = "The working directory's git state when the last attempt ended, if the worker read one.")
        Checkpoint checkpoint,
        List<AttemptView> attempts,
        @Schema(description = "Every question the task's sessions asked a human, oldest first, with the answers given.")
        List<QuestionView> questions,
        int currentAttempt,
        UUID sessionId,
        ResultView result,
        Instant createdAt,
        Instant readyAt,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        @Schema(description = "When retention deleted the task's log lines (taskq.dependency.retention.task-logs after it "
                + "finished); null while they are kept. Its result and attempts stay until the task itself is deleted.")
        Instant logsDeletedAt,
        @JsonProperty("notify") List<NotifyView> notifications,
        TaskLinks links) {

    static TaskView of(TaskDetails details) {
        TaskEntity task = details.task();
        return new TaskView(task.id, task.prompt, task.kind.apiName(), task.command, task.shell, task.agent, task.priority, PriorityClass.of(task.priority), task.effectivePriority,
                task.status, task.statusReason, details.waitingReason(),
                PendingQuestionView.of(details.pendingQuestion().orElse(null)), task.pool, task.workingDir, RepoView.of(task),
                task.timeoutSeconds,
                task.maxTurns, task.model, task.maxBudgetUsd, task.allowedTools, task.disallowedTools, task.appendSystemPrompt,
                task.permissionMode, task.metadata, SubmitterView.of(task), task.maxAttempts, RetrySettings.of(task), details.dependsOn(),
                task.unmetDependencies, wire(task.onDependencyFailure), task.continueFrom, task.concurrencyKey,
                task.workflowId, task.workflowRef, task.submittedBySession, task.retryOf, task.parentTaskId, task.resumeSessionId, task.runAfter,
                task.failureCause, task.checkpoint,
                details.attempts().stream().map(AttemptView::of).toList(),
                details.questions().stream().map(QuestionView::of).toList(), task.currentAttempt, task.sessionId,
                ResultView.of(task), task.createdAt, task.readyAt, task.dispatchedAt, task.startedAt, task.finishedAt,
                task.updatedAt, task.logsDeletedAt, details.notifications().stream().map(NotifyView::of).toList(), TaskLinks.of(task.id));
    }

    /** A failure policy as the API spells it: fail, skip or run. */
    static String wire(DependencyFailurePolicy policy) {
        return (policy == null ? DependencyFailurePolicy.DEFAULT : policy).name().toLowerCase(Locale.ROOT);
    }
}
