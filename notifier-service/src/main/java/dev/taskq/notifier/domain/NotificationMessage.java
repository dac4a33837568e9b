package dev.taskq.notifier.domain;

import dev.taskq.common.notification.NotificationEventType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The facts one notification tells, before any channel formats them.
 *
 * @param question with {@link NotificationEventType#WAITING_FOR_INPUT}, what the task's session asked a human; null
 *     otherwise
 * @param notice for an event about a workflow or a schedule (no task fields are set then); null for a task's event
 */
public record NotificationMessage(
        UUID eventId,
        NotificationEventType eventType,
        UUID taskId,
        int attempt,
        String status,
        String prompt,
        String reason,
        Duration duration,
        BigDecimal costUsd,
        String pool,
        String link,
        Instant at,
        String question,
        Notice notice) {

    /** A task's event. */
    public NotificationMessage(UUID eventId, NotificationEventType eventType, UUID taskId, int attempt, String status, String prompt,
                               String reason, Duration duration, BigDecimal costUsd, String pool, String link, Instant at, String question) {
        this(eventId, eventType, taskId, attempt, status, prompt, reason, duration, costUsd, pool, link, at, question, null);
    }

    /** An event about a workflow or a schedule. */
    public static NotificationMessage of(UUID eventId, NotificationEventType eventType, Instant at, Notice notice) {
        return new NotificationMessage(eventId, eventType, null, 0, notice.outcome(), null, notice.reason(), null, null, null,
                notice.primaryLink(), at, null, notice);
    }

    /** How much of the prompt a message quotes. */
    public static final int PROMPT_HEAD_CHARS = 100;
    /** Where an answer goes; the API's path, whichever host serves it. */
    public static final String ANSWER_PATH = "/api/v1/tasks/%s/answer";

    public String title() {
        return switch (eventType) {
            case TASK_STARTED -> "Task started";
            case TASK_SUCCEEDED -> "Task succeeded";
            case TASK_FAILED -> "Task failed";
            case TASK_TIMED_OUT -> "Task timed out";
            case TASK_CANCELLED -> "Task cancelled";
            case WAITING_FOR_INPUT -> "Task " + shortId() + " needs an answer";
            case WORKFLOW_FINISHED -> notice == null ? "Workflow finished" : "Workflow " + notice.outcome().toLowerCase(java.util.Locale.ROOT);
            case SCHEDULE_RUN_FAILED -> "Scheduled run failed";
        };
    }

    /** Whether this message asks a human to answer a question. */
    public boolean asksForAnswer() {
        return eventType == NotificationEventType.WAITING_FOR_INPUT && question != null && !question.isBlank();
    }

    /** The first 8 characters of the task id, as people quote it. */
    public String shortId() {
        return taskId.toString().substring(0, 8);
    }

    /** The API path an answer is POSTed to. */
    public String answerPath() {
        return ANSWER_PATH.formatted(taskId);
    }

    /** The CLI command that answers, with a placeholder for the answer. */
    public String answerCommand() {
        return "taskq answer " + taskId + " \"<your answer>\"";
    }

    /** The first line of the prompt, cut at {@link #PROMPT_HEAD_CHARS}. */
    public String promptHead() {
        if (prompt == null) {
            return "";
        }
        String flat = prompt.strip().replaceAll("\\s+", " ");
        return flat.length() <= PROMPT_HEAD_CHARS ? flat : flat.substring(0, PROMPT_HEAD_CHARS - 1) + "…";
    }

    /** E.g. "2m 05s", "1h 03m", "12s"; null when the task never started. */
    public String durationText() {
        return durationText(duration);
    }

    /** E.g. "2m 05s", "1h 03m", "12s"; null for null. */
    public static String durationText(Duration duration) {
        if (duration == null) {
            return null;
        }
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return "%dm %02ds".formatted(seconds / 60, seconds % 60);
        }
        return "%dh %02dm".formatted(seconds / 3600, (seconds % 3600) / 60);
    }

    /** E.g. "$0.0123"; null when unknown. */
    public String costText() {
        return costText(costUsd);
    }

    /** E.g. "$0.0123"; null for null. */
    public static String costText(BigDecimal costUsd) {
        return costUsd == null ? null : "$" + costUsd.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }
}
