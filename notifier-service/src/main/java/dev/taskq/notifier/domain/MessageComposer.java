package dev.taskq.notifier.domain;

import dev.taskq.common.security.Redactor;
import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.notifier.persistence.DeliveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** Builds a delivery's message from the event it kept and the task row as it is now. */
@ApplicationScoped
public class MessageComposer {

    private final String linkBase;

    public MessageComposer(NotifierConfig config) {
        this.linkBase = config.taskLinkBase();
    }

    public NotificationMessage compose(DeliveryStore.Claimed delivery, DeliveryStore.TaskRow task) {
        Object at = delivery.event().get("at");
        Instant eventAt = at == null ? Instant.now() : Instant.parse(at.toString());
        Object cost = delivery.event().get("costUsd");
        BigDecimal costUsd = cost != null ? new BigDecimal(cost.toString()) : task == null ? null : task.totalCostUsd();
        Duration duration = null;
        if (task != null && task.startedAt() != null && delivery.eventType() != dev.taskq.common.notification.NotificationEventType.TASK_STARTED) {
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
}
