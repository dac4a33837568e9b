package dev.taskq.notifier.domain;

import dev.taskq.common.notification.NotificationEventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Discord "execute webhook" body within Discord's limits: content 2000 characters, one embed with a title of
 * 256, a description of 4096, at most 25 fields (name 256, value 1024) and 6000 characters of embed text in
 * all. Mentions are switched off, so a prompt containing @everyone pings nobody.
 */
public final class DiscordPayload {

    public static final int MAX_CONTENT = 2000;
    public static final int MAX_TITLE = 256;
    public static final int MAX_DESCRIPTION = 4096;
    public static final int MAX_FIELDS = 25;
    public static final int MAX_FIELD_NAME = 256;
    public static final int MAX_FIELD_VALUE = 1024;
    public static final int MAX_EMBED_TOTAL = 6000;

    private DiscordPayload() {}

    /** An embed field. */
    public record Field(String name, String value, boolean inline) {}

    /** The body for a message. */
    public static Map<String, Object> of(NotificationMessage message) {
        if (message.notice() != null) {
            return notice(message);
        }
        if (message.asksForAnswer()) {
            return question(message);
        }
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Outcome", message.status(), true));
        if (message.durationText() != null) {
            fields.add(new Field("Duration", message.durationText(), true));
        }
        if (message.costText() != null) {
            fields.add(new Field("Cost", message.costText(), true));
        }
        fields.add(new Field("Attempt", String.valueOf(message.attempt()), true));
        fields.add(new Field("Pool", message.pool(), true));
        if (message.reason() != null && !message.reason().isBlank()) {
            fields.add(new Field("Reason", message.reason(), false));
        }
        String description = message.promptHead() + "\n" + message.link();
        return build(message.title() + ": " + message.promptHead(), message.title(), description, message.link(),
                colour(message.eventType()), fields);
    }

    /**
     * A question a session asked: the question is the description (the largest part, and the one cut last but for the
     * title), how to answer is a field, so that it survives whatever the question's length.
     */
    private static Map<String, Object> question(NotificationMessage message) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("How to answer", "`" + message.answerCommand() + "`\nor `POST " + message.answerPath()
                + "` with `{\"answer\": \"...\"}`", false));
        fields.add(new Field("Task", message.promptHead(), false));
        if (message.durationText() != null) {
            fields.add(new Field("Ran for", message.durationText(), true));
        }
        if (message.costText() != null) {
            fields.add(new Field("Cost so far", message.costText(), true));
        }
        fields.add(new Field("Attempt", String.valueOf(message.attempt()), true));
        fields.add(new Field("Pool", message.pool(), true));
        return build(message.title() + ": " + message.promptHead(), message.title(), message.question(), message.link(),
                colour(message.eventType()), fields);
    }

    /** A workflow's or schedule's notice: its facts and reason as fields, its links in the description. */
    private static Map<String, Object> notice(NotificationMessage message) {
        Notice notice = message.notice();
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Outcome", notice.outcome(), true));
        notice.facts().forEach(fact -> fields.add(new Field(fact.name(), fact.value(), true)));
        if (notice.reason() != null && !notice.reason().isBlank()) {
            fields.add(new Field("Reason", notice.reason(), false));
        }
        StringBuilder description = new StringBuilder(notice.headline());
        // Markdown links: the embed shows the label, the URL stays clickable.
        notice.links().forEach(link -> description.append('\n').append('[').append(link.label()).append("](").append(link.url()).append(')'));
        return build(message.title() + ": " + notice.headline(), message.title() + ": " + notice.headline(), description.toString(),
                notice.primaryLink(), notice.colour(), fields);
    }

    /** Assembles a body from raw parts, cutting each to its limit and the embed to its total. */
    public static Map<String, Object> build(String content, String title, String description, String url, int colour, List<Field> fields) {
        String cutTitle = cut(title, MAX_TITLE);
        List<Field> cutFields = new ArrayList<>();
        for (Field field : fields.subList(0, Math.min(fields.size(), MAX_FIELDS))) {
            cutFields.add(new Field(cut(nonEmpty(field.name()), MAX_FIELD_NAME), cut(nonEmpty(field.value()), MAX_FIELD_VALUE), field.inline()));
        }
        // The total limit counts title, description and every field's name and value: shrink the description
        // first (the link is also in the embed's url), then drop fields from the end.
        int fieldText = cutFields.stream().mapToInt(f -> f.name().length() + f.value().length()).sum();
        while (cutTitle.length() + fieldText > MAX_EMBED_TOTAL && !cutFields.isEmpty()) {
            Field dropped = cutFields.removeLast();
            fieldText -= dropped.name().length() + dropped.value().length();
        }
        int room = Math.max(0, MAX_EMBED_TOTAL - cutTitle.length() - fieldText);
        String cutDescription = cut(description == null ? "" : description, Math.min(MAX_DESCRIPTION, room));

        Map<String, Object> embed = new LinkedHashMap<>();
        embed.put("title", cutTitle);
        if (!cutDescription.isEmpty()) {
            embed.put("description", cutDescription);
        }
        if (url != null) {
            embed.put("url", url);
        }
        embed.put("color", colour);
        embed.put("fields", cutFields.stream().map(f -> Map.of("name", f.name(), "value", f.value(), "inline", f.inline())).toList());

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", cut(content, MAX_CONTENT));
        body.put("embeds", List.of(embed));
        body.put("allowed_mentions", Map.of("parse", List.of()));
        return body;
    }

    /** The embed's colour by outcome: green, red, orange, grey, blue; purple for a question waiting for its answer. */
    public static int colour(NotificationEventType type) {
        return switch (type) {
            case TASK_SUCCEEDED, WORKFLOW_FINISHED -> 0x2ECC71;
            case TASK_FAILED, SCHEDULE_RUN_FAILED -> 0xE74C3C;
            case TASK_TIMED_OUT -> 0xE67E22;
            case TASK_CANCELLED -> 0x95A5A6;
            case TASK_STARTED -> 0x3498DB;
            case WAITING_FOR_INPUT -> 0x9B59B6;
        };
    }

    /** At most {@code max} characters, ending in an ellipsis when cut. */
    static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        if (max <= 0) {
            return "";
        }
        int end = max - 1;
        // Never split a surrogate pair: half an emoji is invalid text.
        if (Character.isHighSurrogate(text.charAt(end - 1 < 0 ? 0 : end - 1)) && end > 0) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static String nonEmpty(String text) {
        // Discord rejects an empty field name or value.
        return text == null || text.isBlank() ? "-" : text;
    }
}
