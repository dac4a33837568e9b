package dev.taskq.notifier.domain;

import dev.taskq.common.notification.NotificationEventType;
import dev.taskq.common.security.Redactor;
import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.notifier.persistence.DeliveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * Builds a delivery's message from the event it kept and, for a task's event, the task row as it is now. A workflow's
 * or schedule's notice needs no row: its event says everything.
 */
@ApplicationScoped
public class MessageComposer {

    private final String linkBase;
    private final String publicBaseUrl;

    public MessageComposer(NotifierConfig config) {
        this.linkBase = config.taskLinkBase();
        this.publicBaseUrl = config.publicBaseUrl().endsWith("/")
                ? config.publicBaseUrl().substring(0, config.publicBaseUrl().length() - 1)
                : config.publicBaseUrl();
    }

    /** Whether the message is about a task (and composing it needs the task row). */
    public static boolean aboutTask(DeliveryStore.Claimed delivery) {
        return delivery.eventType() != NotificationEventType.WORKFLOW_FINISHED
                && delivery.eventType() != NotificationEventType.SCHEDULE_RUN_FAILED;
    }

    public NotificationMessage compose(DeliveryStore.Claimed delivery, DeliveryStore.TaskRow task) {
        if (delivery.eventType() == NotificationEventType.WORKFLOW_FINISHED) {
            Notice notice = Notices.workflow(delivery.event(), publicBaseUrl);
            return NotificationMessage.of(delivery.eventId(), delivery.eventType(), instant(delivery.event().get("finishedAt")), notice);
        }
        if (delivery.eventType() == NotificationEventType.SCHEDULE_RUN_FAILED) {
            Notice notice = Notices.scheduleRun(delivery.event(), publicBaseUrl);
            return NotificationMessage.of(delivery.eventId(), delivery.eventType(), instant(delivery.event().get("at")), notice);
        }
        Instant eventAt = instant(delivery.event().get("at"));
        Object cost = delivery.event().get("costUsd");
        BigDecimal costUsd = cost != null ? new BigDecimal(cost.toString()) : task == null ? null : task.totalCostUsd();
        Duration duration = null;
        if (task != null && task.startedAt() != null && delivery.eventType() != NotificationEventType.TASK_STARTED) {
            Instant end = task.finishedAt() != null ? task.finishedAt() : eventAt;
            duration = Duration.between(task.startedAt(), end);
        }
        Object reason = delivery.event().get("reason");
        Object attempt = delivery.event().get("attempt");
        Object question = delivery.event().get("question");
        return new NotificationMessage(delivery.eventId(), delivery.eventType(), delivery.taskId(),
                attempt instanceof Number number ? number.intValue() : 0,
                String.valueOf(delivery.event().get("status")),
                // A prompt, a failure reason or a question may quote a credential; none reaches a chat or webhook.
                task == null ? null : Redactor.redact(task.prompt()),
                reason == null ? null : Redactor.redact(reason.toString()),
                duration, costUsd, task == null ? null : task.pool(),
                linkBase + delivery.taskId(), eventAt, question == null ? null : Redactor.redact(question.toString()));
    }

    private static Instant instant(Object at) {
        return at == null ? Instant.now() : Instant.parse(at.toString());
    }
}
