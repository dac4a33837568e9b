package dev.taskq.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.notification.NotificationEventType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TelegramTextTest {

    private static NotificationMessage message(String prompt, String reason) {
        return new NotificationMessage(UUID.randomUUID(), NotificationEventType.TASK_FAILED, UUID.randomUUID(), 1, "FAILED",
                prompt, reason, Duration.ofSeconds(75), new BigDecimal("0.5"), "default", "http://127.0.0.1:8080/api/v1/tasks/x_(1)", Instant.now());
    }

    @Test
    void htmlEscapesLessThanGreaterThanAndAmpersand() {
        assertThat(TelegramText.escapeHtml("a < b && c > d")).isEqualTo("a &lt; b &amp;&amp; c &gt; d");
    }

    @Test
    void markdownV2EscapesEverySpecialCharacterAndTheBackslash() {
        assertThat(TelegramText.escapeMarkdownV2("_*[]()~`>#+-=|{}.!\\x"))
                .isEqualTo("\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\x");
    }

    @Test
    void anHtmlMessageBoldsTheTitleAndLinksTheTask() {
        String text = TelegramText.of(message("fix <script>", "exit 1 & more"), "HTML");
        assertThat(text).startsWith("<b>Task failed</b>\n<i>fix &lt;script&gt;</i>")
                .contains("Reason: exit 1 &amp; more", "Duration: 1m 15s", "Cost: $0.5000")
                .endsWith("<a href=\"http://127.0.0.1:8080/api/v1/tasks/x_(1)\">Open task</a>");
    }

    @Test
    void aMarkdownV2MessageEscapesTextAndTheClosingParenthesisOfTheLink() {
        String text = TelegramText.of(message("v1.2 - done!", null), "MarkdownV2");
        assertThat(text).startsWith("*Task failed*\n_v1\\.2 \\- done\\!_")
                .endsWith("[Open task](http://127.0.0.1:8080/api/v1/tasks/x_(1\\))");
    }

    @Test
    void theVisibleTextIsCutTo4096CharactersWhateverTheMarkup() {
        for (String mode : List.of("HTML", "MarkdownV2")) {
            String text = TelegramText.of(message("p", "<&>.".repeat(3000)), mode);
            String visible = mode.equals("HTML")
                    ? text.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                    : text.replaceAll("\\\\(.)", "$1").replaceAll("\\]\\(.*\\)$", "").replace("[Open task", "Open task").replace("*", "").replace("_", "");
            assertThat(visible.length()).as(mode).isLessThanOrEqualTo(4096);
            assertThat(text).as(mode).contains("Open task").contains("…");
        }
    }

    @Test
    void aShortMessageIsNotCut() {
        List<TelegramText.Segment> segments = List.of(TelegramText.Segment.plain("a".repeat(4096)));
        assertThat(TelegramText.fit(segments, 4096)).isEqualTo(segments);
    }
}
