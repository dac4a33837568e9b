package dev.taskq.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.text.Ages;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How the human output spells values: one-line cells, ages, durations and local times. */
public final class Formats {

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Formats() {
    }

    /** A value as a table cell: on one line, "-" when absent. */
    public static String cell(Object value) {
        if (value instanceof JsonNode node) {
            value = node.isNull() || node.isMissingNode() ? null : node.isValueNode() ? node.asText() : node.toString();
        }
        if (value == null) {
            return "-";
        }
        String text = oneLine(value.toString());
        return text.isEmpty() ? "-" : text;
    }

    /** Line breaks and runs of white space become single spaces. */
    public static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /** At most {@code max} characters, the last one an ellipsis when something was cut. */
    public static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** How long ago {@code then} was, in its largest unit: 45s, 12m, 3h, 5d. */
    public static String age(Instant then, Instant now) {
        return then == null ? null : Ages.of(Duration.between(then, now));
    }

    /** A duration to the second, in its two largest units: 12s, 3m05s, 1h02m, 2d03h. */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }

    /** An instant as the local date and time, e.g. 2025-06-01 14:03:07. */
    public static String localTime(Instant instant, ZoneId zone) {
        return instant == null ? null : LOCAL_TIME.format(instant.atZone(zone));
    }

    /** An instant as the local time of day, for progress lines. */
    public static String clock(Instant instant, ZoneId zone) {
        return CLOCK.format(instant.atZone(zone));
    }

    /** The instant a JSON field holds, or null when it is absent or not an ISO-8601 instant. */
    public static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A JSON text field, or null. */
    public static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
