package dev.taskq.notifier.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A Telegram sendMessage text in HTML or MarkdownV2, escaped so that prompt text can never break the markup,
 * and at most 4096 characters once Telegram has parsed it (what counts is the visible text, not the markup).
 */
public final class TelegramText {

    public static final int MAX_VISIBLE = 4096;
    private static final String MARKDOWN_V2_SPECIALS = "_*[]()~`>#+-=|{}.!\\";

    private TelegramText() {}

    /** How a piece of text is shown. */
    public enum Style { PLAIN, BOLD, ITALIC, CODE, LINK }

    /** A piece of visible text; {@code url} only for LINK. */
    public record Segment(String text, Style style, String url) {

        public static Segment plain(String text) {
            return new Segment(text, Style.PLAIN, null);
        }

        public static Segment bold(String text) {
            return new Segment(text, Style.BOLD, null);
        }

        public static Segment italic(String text) {
            return new Segment(text, Style.ITALIC, null);
        }

        /** Monospaced: a command or path to copy as it is. */
        public static Segment code(String text) {
            return new Segment(text, Style.CODE, null);
        }

        public static Segment link(String text, String url) {
            return new Segment(text, Style.LINK, url);
        }
    }

    /** The text of a message in the given parse mode ("HTML" or "MarkdownV2"). */
    public static String of(NotificationMessage message, String parseMode) {
        if (message.notice() != null) {
            return render(fit(notice(message.title(), message.notice()), MAX_VISIBLE), parseMode);
        }
        if (message.asksForAnswer()) {
            return render(fit(question(message), MAX_VISIBLE), parseMode);
        }
        List<Segment> segments = new ArrayList<>();
        segments.add(Segment.bold(message.title()));
        segments.add(Segment.plain("\n"));
        segments.add(Segment.italic(message.promptHead()));
        segments.add(Segment.plain("\nOutcome: " + message.status()));
        if (message.durationText() != null) {
            segments.add(Segment.plain("\nDuration: " + message.durationText()));
        }
        if (message.costText() != null) {
            segments.add(Segment.plain("\nCost: " + message.costText()));
        }
        if (message.reason() != null && !message.reason().isBlank()) {
            segments.add(Segment.plain("\nReason: " + message.reason()));
        }
        segments.add(Segment.plain("\n"));
        segments.add(Segment.link("Open task", message.link()));
        return render(fit(segments, MAX_VISIBLE), parseMode);
    }

    /**
     * A question a session asked, then how to answer it. The question is the segment {@link #fit} cuts first once it is
     * the longest, so the instructions survive a long one.
     */
    private static List<Segment> question(NotificationMessage message) {
        List<Segment> segments = new ArrayList<>();
        segments.add(Segment.bold(message.title()));
        segments.add(Segment.plain("\n"));
        segments.add(Segment.italic(message.promptHead()));
        segments.add(Segment.plain("\n\n"));
        segments.add(Segment.plain(message.question()));
        segments.add(Segment.plain("\n\nAnswer: "));
        segments.add(Segment.code(message.answerCommand()));
        segments.add(Segment.plain("\nor POST "));
        segments.add(Segment.code(message.answerPath()));
        segments.add(Segment.plain(" with "));
        segments.add(Segment.code("{\"answer\": \"...\"}"));
        if (message.durationText() != null) {
            segments.add(Segment.plain("\nRan for: " + message.durationText()));
        }
        if (message.costText() != null) {
            segments.add(Segment.plain("\nCost so far: " + message.costText()));
        }
        segments.add(Segment.plain("\n"));
        segments.add(Segment.link("Open task", message.link()));
        return segments;
    }

    /** A workflow's or schedule's notice: title, headline, outcome, one line per fact, the reason, the links. */
    private static List<Segment> notice(String title, Notice notice) {
        List<Segment> segments = new ArrayList<>();
        segments.add(Segment.bold(title));
        segments.add(Segment.plain("\n"));
        segments.add(Segment.italic(notice.headline()));
        segments.add(Segment.plain("\nOutcome: " + notice.outcome()));
        notice.facts().forEach(fact -> segments.add(Segment.plain("\n" + fact.name() + ": " + fact.value())));
        if (notice.reason() != null && !notice.reason().isBlank()) {
            segments.add(Segment.plain("\nReason: " + notice.reason()));
        }
        for (Notice.Link link : notice.links()) {
            segments.add(Segment.plain("\n"));
            segments.add(Segment.link(link.label(), link.url()));
        }
        return segments;
    }

    /** Shortens the longest segments until the visible text fits in {@code max} characters. */
    public static List<Segment> fit(List<Segment> segments, int max) {
        List<Segment> result = new ArrayList<>(segments);
        int visible = result.stream().mapToInt(s -> s.text().length()).sum();
        while (visible > max) {
            int longest = 0;
            for (int i = 1; i < result.size(); i++) {
                if (result.get(i).text().length() > result.get(longest).text().length()) {
                    longest = i;
                }
            }
            Segment segment = result.get(longest);
            int keep = Math.max(0, segment.text().length() - (visible - max));
            String cut = DiscordPayload.cut(segment.text(), keep);
            visible -= segment.text().length() - cut.length();
            result.set(longest, new Segment(cut, segment.style(), segment.url()));
            if (keep == 0 && cut.isEmpty() && segment.text().isEmpty()) {
                break;
            }
        }
        return result;
    }

    public static String render(List<Segment> segments, String parseMode) {
        boolean html = !"MarkdownV2".equals(parseMode);
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments) {
            String text = html ? escapeHtml(segment.text()) : escapeMarkdownV2(segment.text());
            if (segment.text().isEmpty()) {
                continue;
            }
            switch (segment.style()) {
                case PLAIN -> out.append(text);
                case BOLD -> out.append(html ? "<b>" + text + "</b>" : "*" + text + "*");
                case ITALIC -> out.append(html ? "<i>" + text + "</i>" : "_" + text + "_");
                case CODE -> out.append(html ? "<code>" + text + "</code>" : "`" + escapeMarkdownV2Code(segment.text()) + "`");
                case LINK -> out.append(html
                        ? "<a href=\"" + escapeHtml(segment.url()).replace("\"", "&quot;") + "\">" + text + "</a>"
                        : "[" + text + "](" + segment.url().replace("\\", "\\\\").replace(")", "\\)") + ")");
            }
        }
        return out.toString();
    }

    /** HTML mode: only &lt;, &gt; and &amp; need escaping in text. */
    public static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** MarkdownV2 inside code: only ` and \ are special there, and each is escaped with a backslash. */
    public static String escapeMarkdownV2Code(String text) {
        return text.replace("\\", "\\\\").replace("`", "\\`");
    }

    /** MarkdownV2: every one of _*[]()~`>#+-=|{}.! and \ is escaped with a backslash. */
    public static String escapeMarkdownV2(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (MARKDOWN_V2_SPECIALS.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
