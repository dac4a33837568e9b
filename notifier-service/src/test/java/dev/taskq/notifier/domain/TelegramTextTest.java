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
                prompt, reason, Duration.ofSeconds(75), new BigDecimal("0.5"), "default", "http://127.0.0.1:8080/api/v1/tasks/x_(1)", Instant.now(), null);
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

    private static final UUID ASKING = UUID.fromString("0a1b2c3d-0000-4000-8000-000000000001");

    private static NotificationMessage question(String question) {
        return new NotificationMessage(UUID.randomUUID(), NotificationEventType.WAITING_FOR_INPUT, ASKING, 2,
                "WAITING_FOR_INPUT", "Migrate the orders table", "waiting for an answer to: " + question,
                Duration.ofSeconds(125), new BigDecimal("0.05"), "default", "http://127.0.0.1:8080/api/v1/tasks/" + ASKING,
                Instant.now(), question);
    }

    @Test
    void anHtmlQuestionShowsTheQuestionEscapedAndHowToAnswerIt() {
        String text = TelegramText.of(question("Drop <orders_old> & keep a backup?"), "HTML");

        assertThat(text).isEqualTo("<b>Task 0a1b2c3d needs an answer</b>\n<i>Migrate the orders table</i>\n\n"
                + "Drop &lt;orders_old&gt; &amp; keep a backup?\n\n"
                + "Answer: <code>taskq answer " + ASKING + " \"&lt;your answer&gt;\"</code>\n"
                + "or POST <code>/api/v1/tasks/" + ASKING + "/answer</code> with <code>{\"answer\": \"...\"}</code>\n"
                + "Ran for: 2m 05s\nCost so far: $0.0500\n"
                + "<a href=\"http://127.0.0.1:8080/api/v1/tasks/" + ASKING + "\">Open task</a>");
    }

    @Test
    void aMarkdownV2QuestionEscapesItsTextAndOnlyBackslashAndBacktickInsideCode() {
        String text = TelegramText.of(question("Use `v1.2` (or v2)? C:\\tmp_dir!"), "MarkdownV2");

        assertThat(text).startsWith("*Task 0a1b2c3d needs an answer*\n_Migrate the orders table_\n\n"
                        + "Use \\`v1\\.2\\` \\(or v2\\)? C:\\\\tmp\\_dir\\!\n\n")
                .contains("Answer: `taskq answer " + ASKING + " \"<your answer>\"`\n")
                .contains("or POST `/api/v1/tasks/" + ASKING + "/answer` with `{\"answer\": \"...\"}`")
                .endsWith("[Open task](http://127.0.0.1:8080/api/v1/tasks/" + ASKING + ")");
        assertThat(TelegramText.escapeMarkdownV2Code("a`b\\c_d")).isEqualTo("a\\`b\\\\c_d");
    }

    @Test
    void aLongQuestionIsCutSoTheMessageFitsAndTheAnswerInstructionsStay() {
        for (String mode : List.of("HTML", "MarkdownV2")) {
            String text = TelegramText.of(question("q".repeat(10_000)), mode);
            String visible = mode.equals("HTML")
                    ? text.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                    : text.replaceAll("\\\\(.)", "$1").replaceAll("\\]\\(.*\\)$", "").replace("[Open task", "Open task")
                            .replace("*", "").replace("_", "").replace("`", "");
            assertThat(visible.length()).as(mode).isLessThanOrEqualTo(TelegramText.MAX_VISIBLE);
            assertThat(visible).as(mode).contains("q…\n\nAnswer: taskq answer " + ASKING)
                    .contains("/api/v1/tasks/" + ASKING + "/answer").contains("Open task");
        }
    }

    @Test
    void aShortMessageIsNotCut() {
        List<TelegramText.Segment> segments = List.of(TelegramText.Segment.plain("a".repeat(4096)));
        assertThat(TelegramText.fit(segments, 4096)).isEqualTo(segments);
    }
}
