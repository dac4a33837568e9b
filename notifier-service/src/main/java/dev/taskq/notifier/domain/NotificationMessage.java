package dev.taskq.notifier.domain;

import dev.taskq.common.notification.NotificationEventType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The facts one notification tells, before any channel formats them. */
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
        Instant at) {

    /** How much of the prompt a message quotes. */
    public static final int PROMPT_HEAD_CHARS = 100;

    public String title() {
        return switch (eventType) {
            case TASK_STARTED -> "Task started";
            case TASK_SUCCEEDED -> "Task succeeded";
            case TASK_FAILED -> "Task failed";
            case TASK_TIMED_OUT -> "Task timed out";
            case TASK_CANCELLED -> "Task cancelled";
            case WAITING_FOR_INPUT -> "Task waiting for input";
            case WORKFLOW_FINISHED -> "Workflow finished";
            case SCHEDULE_RUN_FAILED -> "Scheduled run failed";
        };
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
