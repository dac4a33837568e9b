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
        String question) {

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
            case WORKFLOW_FINISHED -> "Workflow finished";
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
        return costUsd == null ? null : "$" + costUsd.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }
}
