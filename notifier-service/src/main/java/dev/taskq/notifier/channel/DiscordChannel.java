package dev.taskq.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.notifier.domain.DiscordPayload;
import dev.taskq.notifier.domain.NotificationMessage;
import dev.taskq.notifier.domain.SendResult;
import dev.taskq.notifier.domain.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Executes a Discord webhook: 200/204 delivered, 429 waits retry_after, 401/403/404 disable (the webhook is gone). */
@ApplicationScoped
public class DiscordChannel implements Channel {

    private final HttpSender http;

    public DiscordChannel(HttpSender http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.DISCORD;
    }

    @Override
    public SendResult send(Target target, NotificationMessage message, java.util.UUID deliveryId) {
        String url = target.string(DestinationConfigRules.DISCORD_WEBHOOK_URL);
        HttpSender.Answer answer;
        try {
            answer = http.postJson(URI.create(url), EventJson.toJson(DiscordPayload.of(message)), Map.of());
        } catch (IOException | IllegalArgumentException e) {
            return SendResult.retry(null, e.getMessage(), null);
        }
        int status = answer.status();
        if (status == 200 || status == 204) {
            return SendResult.delivered(status);
        }
        if (status == 429) {
            return SendResult.retry(status, "rate limited by Discord", retryAfter(answer));
        }
        if (status == 401 || status == 403 || status == 404) {
            return SendResult.disable(status, "Discord answered " + status + ": the webhook was deleted or its token is wrong");
        }
        if (status >= 400 && status < 500 && status != 408) {
            return SendResult.failed(status, "Discord rejected the message: " + Bodies.head(answer.body()));
        }
        return SendResult.retry(status, "Discord answered " + status, HttpSender.retryAfter(answer.retryAfter(), Instant.now()).orElse(null));
    }

    /** retry_after (seconds, fractional) from the JSON body, else the Retry-After header. */
    static Duration retryAfter(HttpSender.Answer answer) {
        try {
            JsonNode body = EventJson.mapper().readTree(answer.body());
            if (body != null && body.has("retry_after") && body.get("retry_after").isNumber()) {
                return Duration.ofMillis(Math.round(body.get("retry_after").asDouble() * 1000));
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: fall back to the header.
        }
        return HttpSender.retryAfter(answer.retryAfter(), Instant.now()).orElse(null);
    }

}
