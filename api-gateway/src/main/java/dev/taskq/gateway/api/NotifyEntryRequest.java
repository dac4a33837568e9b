package dev.taskq.gateway.api;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.gateway.domain.NotifyEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One entry of a submission's notify list. */
@Schema(name = "NotifyEntry", description = "Where to announce this task's events: a configured destination by name, or an inline one "
        + "(type discord with webhookUrl; telegram with botToken, chatId, optional messageThreadId and parseMode; webhook with url and secret). "
        + "Secrets are stored but never returned.")
public record NotifyEntryRequest(
        @Schema(description = "The name of a destination created with POST /api/v1/notification-destinations.", examples = "ops-discord")
        String destination,
        @Schema(description = "An inline destination's channel.", enumeration = {"discord", "telegram", "webhook"})
        String type,
        @Schema(description = "discord: the webhook URL (secret).")
        String webhookUrl,
        @Schema(description = "telegram: the bot token (secret).")
        String botToken,
        @Schema(description = "telegram: the chat id or @channelusername.")
        String chatId,
        @Schema(description = "telegram: the forum topic to post in.")
        Long messageThreadId,
        @Schema(description = "telegram: HTML (default) or MarkdownV2.")
        String parseMode,
        @Schema(description = "webhook: the endpoint URL.")
        String url,
        @Schema(description = "webhook: the signing secret, whsec_<base64> (secret).")
        String secret,
        @Schema(description = "The events to announce; by default every ending (TASK_SUCCEEDED, TASK_FAILED, TASK_TIMED_OUT, TASK_CANCELLED). "
                + "Add TASK_STARTED to hear the start.")
        List<String> events) {

    NotifyEntry toEntry() {
        Map<String, Object> config = new LinkedHashMap<>();
        putIfSet(config, "webhookUrl", webhookUrl);
        putIfSet(config, "botToken", botToken);
        putIfSet(config, "chatId", chatId);
        putIfSet(config, "messageThreadId", messageThreadId);
        putIfSet(config, "parseMode", parseMode);
        putIfSet(config, "url", url);
        putIfSet(config, "secret", secret);
        return new NotifyEntry(destination, type == null ? null : ChannelType.fromWire(type).orElse(null), type, config, events);
    }

    /** The entries of a request's {@code notify} list; none when it is absent. */
    static List<NotifyEntry> toEntries(List<NotifyEntryRequest> requests) {
        return requests == null ? List.of() : requests.stream().map(NotifyEntryRequest::toEntry).toList();
    }

    private static void putIfSet(Map<String, Object> config, String key, Object value) {
        if (value != null) {
            config.put(key, value);
        }
    }

    @Override
    public String toString() {
        return "NotifyEntryRequest[" + (destination != null ? destination : type) + "]";
    }
}
