package dev.taskq.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
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

    @Test
    void mentionsAreNeverParsed() {
        assertThat(DiscordPayload.build("@everyone", "t", "d", null, 1, List.of()).get("allowed_mentions")).isEqualTo(Map.of("parse", List.of()));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "😀".repeat(10);
        assertThat(DiscordPayload.cut(emoji, 6)).isEqualTo("😀😀…");
    }
}
