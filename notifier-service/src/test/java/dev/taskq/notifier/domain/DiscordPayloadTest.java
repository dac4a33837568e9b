package dev.taskq.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.common.notification.NotificationEventType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DiscordPayloadTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> embed(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.get("embeds")).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fields(Map<String, Object> body) {
        return (List<Map<String, Object>>) embed(body).get("fields");
    }

    private static int embedText(Map<String, Object> body) {
        Map<String, Object> embed = embed(body);
        return ((String) embed.get("title")).length() + ((String) embed.getOrDefault("description", "")).length()
                + fields(body).stream().mapToInt(f -> ((String) f.get("name")).length() + ((String) f.get("value")).length()).sum();
    }

    @Test
    void contentIsCutTo2000CharactersEndingInAnEllipsis() {
        Map<String, Object> body = DiscordPayload.build("c".repeat(2500), "t", "d", null, 1, List.of());
        assertThat((String) body.get("content")).hasSize(2000).endsWith("…");
    }

    @Test
    void contentOfExactly2000CharactersIsKept() {
        assertThat((String) DiscordPayload.build("c".repeat(2000), "t", "d", null, 1, List.of()).get("content")).isEqualTo("c".repeat(2000));
    }

    @Test
    void theTitleIsCutTo256Characters() {
        assertThat((String) embed(DiscordPayload.build("c", "t".repeat(300), "d", null, 1, List.of())).get("title")).hasSize(256).endsWith("…");
    }

    @Test
    void theDescriptionIsCutTo4096Characters() {
        assertThat((String) embed(DiscordPayload.build("c", "t", "d".repeat(5000), null, 1, List.of())).get("description")).hasSize(4096);
    }

    @Test
    void fieldNamesAreCutTo256AndValuesTo1024Characters() {
        Map<String, Object> body = DiscordPayload.build("c", "t", "d", null, 1, List.of(new DiscordPayload.Field("n".repeat(300), "v".repeat(2000), false)));
        assertThat((String) fields(body).getFirst().get("name")).hasSize(256);
        assertThat((String) fields(body).getFirst().get("value")).hasSize(1024);
    }

    @Test
    void atMost25FieldsAreSent() {
        List<DiscordPayload.Field> many = IntStream.range(0, 30).mapToObj(i -> new DiscordPayload.Field("n" + i, "v", true)).toList();
        assertThat(fields(DiscordPayload.build("c", "t", "d", null, 1, many))).hasSize(25);
    }

    @Test
    void theWholeEmbedIsKeptWithin6000CharactersByShorteningTheDescriptionFirst() {
        List<DiscordPayload.Field> big = IntStream.range(0, 4).mapToObj(i -> new DiscordPayload.Field("n" + i, "v".repeat(1024), false)).toList();
        Map<String, Object> body = DiscordPayload.build("c", "t".repeat(256), "d".repeat(4096), null, 1, big);
        assertThat(embedText(body)).isLessThanOrEqualTo(6000);
        assertThat(fields(body)).hasSize(4);
        assertThat((String) embed(body).get("description")).hasSizeLessThan(4096);
    }

    @Test
    void fieldsAreDroppedFromTheEndWhenTheyAloneExceed6000Characters() {
        List<DiscordPayload.Field> huge = IntStream.range(0, 25).mapToObj(i -> new DiscordPayload.Field("n".repeat(256), "v".repeat(1024), false)).toList();
        Map<String, Object> body = DiscordPayload.build("c", "t", "d", null, 1, huge);
        assertThat(embedText(body)).isLessThanOrEqualTo(6000);
        assertThat(fields(body)).hasSize(4);
    }

    private static final UUID ASKING = UUID.fromString("0a1b2c3d-0000-4000-8000-000000000001");

    private static NotificationMessage question(String question) {
        return new NotificationMessage(UUID.randomUUID(), NotificationEventType.WAITING_FOR_INPUT, ASKING, 2,
                "WAITING_FOR_INPUT", "Migrate the orders table", "waiting for an answer to: " + question,
                Duration.ofSeconds(125), new BigDecimal("0.05"), "default", "http://127.0.0.1:8080/api/v1/tasks/" + ASKING,
                Instant.now(), question);
    }

    @Test
    void aQuestionIsTheDescriptionOfAPurpleEmbedTitledWithTheShortTaskIdAndSaysHowToAnswer() {
        Map<String, Object> body = DiscordPayload.of(question("Postgres 15 or 16?"));

        assertThat(body.get("content")).isEqualTo("Task 0a1b2c3d needs an answer: Migrate the orders table");
        Map<String, Object> embed = embed(body);
        assertThat(embed.get("title")).isEqualTo("Task 0a1b2c3d needs an answer");
        assertThat(embed.get("description")).isEqualTo("Postgres 15 or 16?");
        assertThat(embed.get("url")).isEqualTo("http://127.0.0.1:8080/api/v1/tasks/" + ASKING);
        assertThat(embed.get("color")).isEqualTo(0x9B59B6);
        assertThat(DiscordPayload.colour(NotificationEventType.WAITING_FOR_INPUT)).isNotIn(
                DiscordPayload.colour(NotificationEventType.TASK_STARTED), DiscordPayload.colour(NotificationEventType.TASK_SUCCEEDED),
                DiscordPayload.colour(NotificationEventType.TASK_FAILED), DiscordPayload.colour(NotificationEventType.TASK_TIMED_OUT),
                DiscordPayload.colour(NotificationEventType.TASK_CANCELLED));
        assertThat(fields(body).getFirst()).isEqualTo(Map.of("name", "How to answer", "inline", false,
                "value", "`taskq answer " + ASKING + " \"<your answer>\"`\nor `POST /api/v1/tasks/" + ASKING
                        + "/answer` with `{\"answer\": \"...\"}`"));
        assertThat(fields(body)).extracting(f -> f.get("name"))
                .containsExactly("How to answer", "Task", "Ran for", "Cost so far", "Attempt", "Pool");
        // The question is the message: the reason would only repeat it.
        assertThat(body.toString()).doesNotContain("waiting for an answer to");
    }

    @Test
    void aLongQuestionIsCutToTheDescriptionLimitAndTheAnswerInstructionsStay() {
        Map<String, Object> body = DiscordPayload.of(question("q".repeat(10_000)));

        assertThat((String) embed(body).get("description")).hasSize(DiscordPayload.MAX_DESCRIPTION).endsWith("q…");
        assertThat(embedText(body)).isLessThanOrEqualTo(DiscordPayload.MAX_EMBED_TOTAL);
        assertThat(fields(body).getFirst().get("name")).isEqualTo("How to answer");
    }

    @Test
    void mentionsAreNeverParsed() {
        assertThat(DiscordPayload.build("@everyone", "t", "d", null, 1, List.of()).get("allowed_mentions")).isEqualTo(Map.of("parse", List.of()));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "😀".repeat(10);
        assertThat(DiscordPayload.cut(emoji, 6)).isEqualTo("😀😀…");
    }

    @Test
    void aWorkflowNoticeWithAHugeNameAndReasonStaysWithinEveryLimitAndKeepsItsLinks() {
        UUID workflow = UUID.randomUUID();
        Instant finished = Instant.parse("2026-12-07T10:00:00Z");
        Map<String, Object> snapshot = Notices.snapshot(new WorkflowFinishedEvent(UUID.randomUUID(), workflow, "n".repeat(3000),
                WorkflowStatus.CANCELLED, 2, 0, 0, 2, 0, null, "r".repeat(9000), finished.minusSeconds(3_780), finished));
        Notice notice = Notices.workflow(snapshot, "https://taskq.example.com");
        Map<String, Object> body = DiscordPayload.of(NotificationMessage.of(UUID.randomUUID(), NotificationEventType.WORKFLOW_FINISHED,
                finished, notice));

        assertThat((String) body.get("content")).hasSizeLessThanOrEqualTo(DiscordPayload.MAX_CONTENT);
        assertThat((String) embed(body).get("title")).hasSize(DiscordPayload.MAX_TITLE).startsWith("Workflow cancelled: nnn");
        assertThat(embedText(body)).isLessThanOrEqualTo(DiscordPayload.MAX_EMBED_TOTAL);
        assertThat(fields(body)).allSatisfy(field -> assertThat((String) field.get("value")).hasSizeLessThanOrEqualTo(DiscordPayload.MAX_FIELD_VALUE));
        assertThat(embed(body).get("url")).isEqualTo("https://taskq.example.com/ui/#/workflows/" + workflow);
        assertThat(embed(body).get("color")).isEqualTo(0x95A5A6);
        assertThat(fields(body)).extracting(field -> field.get("name")).containsExactly("Outcome", "Tasks", "Duration", "Reason");
        assertThat(fields(body).get(1).get("value")).isEqualTo("0 succeeded, 2 cancelled of 2");
        assertThat(fields(body).get(2).get("value")).isEqualTo("1h 03m");
    }
}
