package dev.taskq.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.notifier.domain.NotificationMessage;
import dev.taskq.notifier.domain.SendResult;
import dev.taskq.notifier.domain.Target;
import dev.taskq.notifier.domain.TelegramText;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Calls the Bot API's sendMessage. The bot token is part of the URL path, so neither the URL nor any text
 * derived from it is ever logged or stored; error texts come from Telegram's {@code description}, scrubbed.
 */
@ApplicationScoped
public class TelegramChannel implements Channel {

    private final HttpSender http;
    private final String apiBase;

    public TelegramChannel(HttpSender http, NotifierConfig config) {
        this.http = http;
        this.apiBase = config.telegramApiBase().endsWith("/")
                ? config.telegramApiBase().substring(0, config.telegramApiBase().length() - 1)
                : config.telegramApiBase();
    }

    @Override
    public ChannelType type() {
        return ChannelType.TELEGRAM;
    }

    @Override
    public SendResult send(Target target, NotificationMessage message, UUID deliveryId) {
        String token = target.string(DestinationConfigRules.TELEGRAM_BOT_TOKEN);
        String parseMode = target.config().getOrDefault(DestinationConfigRules.TELEGRAM_PARSE_MODE, "HTML").toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", target.config().get(DestinationConfigRules.TELEGRAM_CHAT_ID));
        if (target.config().get(DestinationConfigRules.TELEGRAM_THREAD_ID) != null) {
            body.put("message_thread_id", target.config().get(DestinationConfigRules.TELEGRAM_THREAD_ID));
        }
        body.put("text", TelegramText.of(message, parseMode));
        body.put("parse_mode", parseMode);
        body.put("link_preview_options", Map.of("is_disabled", true));
        HttpSender.Answer answer;
        try {
            answer = http.postJson(URI.create(apiBase + "/bot" + token + "/sendMessage"), EventJson.toJson(body), Map.of());
        } catch (IOException | IllegalArgumentException e) {
            return SendResult.retry(null, scrub(e.getMessage(), token), null);
        }
        JsonNode reply = readJson(answer.body());
        boolean ok = reply != null && reply.path("ok").asBoolean(false);
        int code = reply != null && reply.has("error_code") ? reply.get("error_code").asInt() : answer.status();
        if (ok && answer.status() == 200) {
            return SendResult.delivered(answer.status());
        }
        String description = scrub(reply == null ? Bodies.head(answer.body()) : reply.path("description").asText(""), token);
        if (code == 429) {
            JsonNode seconds = reply == null ? null : reply.path("parameters").get("retry_after");
            Duration wait = seconds != null && seconds.isNumber() ? Duration.ofMillis(Math.round(seconds.asDouble() * 1000)) : null;
            return SendResult.retry(code, "rate limited by Telegram", wait);
        }
        if (code == 401 || code == 403 || code == 404) {
            return SendResult.disable(code, "Telegram answered " + code + ": " + description);
        }
        if (code == 400) {
            return SendResult.failed(code, "Telegram rejected the message: " + description);
        }
        return SendResult.retry(code, "Telegram answered " + code + ": " + description, null);
    }

    private static JsonNode readJson(String body) {
        try {
            return EventJson.mapper().readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String scrub(String text, String token) {
        if (text == null) {
            return null;
        }
        return token == null || token.isEmpty() ? text : text.replace(token, "<bot token>");
    }
}
