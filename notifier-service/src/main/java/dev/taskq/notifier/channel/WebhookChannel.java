package dev.taskq.notifier.channel;

import dev.taskq.common.json.EventJson;
import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.notifier.domain.NotificationMessage;
import dev.taskq.notifier.domain.SendResult;
import dev.taskq.notifier.domain.Target;
import dev.taskq.notifier.domain.WebhookSignature;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * POSTs a Standard Webhooks message: webhook-id (the delivery id, the same on every retry), webhook-timestamp
 * and webhook-signature. 2xx delivered; 410 disables the endpoint; a redirect is not followed and counts as a
 * failure; Retry-After is honoured.
 */
@ApplicationScoped
public class WebhookChannel implements Channel {

    private final HttpSender http;

    public WebhookChannel(HttpSender http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.WEBHOOK;
    }

    @Override
    public SendResult send(Target target, NotificationMessage message, UUID deliveryId) {
        String id = deliveryId.toString();
        long timestamp = Instant.now().getEpochSecond();
        String body = EventJson.toJson(payload(message));
        Map<String, String> headers = Map.of(
                "webhook-id", id,
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", WebhookSignature.sign(target.string(DestinationConfigRules.WEBHOOK_SECRET), id, timestamp, body));
        HttpSender.Answer answer;
        try {
            answer = http.postJson(URI.create(target.string(DestinationConfigRules.WEBHOOK_URL)), body, headers);
        } catch (IOException | IllegalArgumentException e) {
            return SendResult.retry(null, e.getMessage(), null);
        }
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return SendResult.delivered(status);
        }
        if (status == 410) {
            return SendResult.disable(status, "the endpoint answered 410 Gone");
        }
        String error = status >= 300 && status < 400
                ? "the endpoint answered " + status + " (redirects are not followed)"
                : "the endpoint answered " + status + ": " + Bodies.head(answer.body());
        return SendResult.retry(status, error, HttpSender.retryAfter(answer.retryAfter(), Instant.now()).orElse(null));
    }

    /**
     * The JSON body: {@code {"type": "task.succeeded", "timestamp": ..., "data": {...}}}; {@code workflow.finished} and
     * {@code schedule.run_failed} carry their event's fields (see WorkflowFinishedEvent, ScheduleRunFailedEvent) plus
     * {@code link} and {@code dashboardLink}. A question
     * ({@code task.waiting_for_input}) adds {@code data.question}, whole, and {@code data.answerPath}, the API path the
     * answer is POSTed to as {@code {"answer": "..."}}.
     */
    static Map<String, Object> payload(NotificationMessage message) {
        if (message.notice() != null) {
            // workflow.finished and schedule.run_failed: data is the event as taskq announced it, plus its links.
            return envelope(message, message.notice().data());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", message.eventId());
        data.put("taskId", message.taskId());
        data.put("attempt", message.attempt());
        data.put("status", message.status());
        data.put("prompt", message.promptHead());
        data.put("reason", message.reason());
        data.put("durationSeconds", message.duration() == null ? null : message.duration().toMillis() / 1000.0);
        data.put("costUsd", message.costUsd());
        data.put("pool", message.pool());
        data.put("link", message.link());
        if (message.asksForAnswer()) {
            data.put("question", message.question());
            data.put("answerPath", message.answerPath());
        }
        return envelope(message, data);
    }

    private static Map<String, Object> envelope(NotificationMessage message, Map<String, Object> data) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", message.eventType().wireName());
        payload.put("timestamp", message.at());
        payload.put("data", data);
        return payload;
    }
}
