package dev.taskq.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FormatsTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void agesUseTheirLargestUnit() {
        assertThat(Formats.age(NOW.minusSeconds(45), NOW)).isEqualTo("45s");
        assertThat(Formats.age(NOW.minusSeconds(12 * 60 + 5), NOW)).isEqualTo("12m");
        assertThat(Formats.age(NOW.minusSeconds(3 * 3600), NOW)).isEqualTo("3h");
        assertThat(Formats.age(NOW.minus(Duration.ofDays(5)), NOW)).isEqualTo("5d");
        assertThat(Formats.age(NOW.plusSeconds(3), NOW)).as("a clock a little ahead").isEqualTo("0s");
        assertThat(Formats.age(null, NOW)).isNull();
    }

    @Test
    void durationsShowTheirTwoLargestUnits() {
        assertThat(Formats.duration(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(Formats.duration(Duration.ofSeconds(185))).isEqualTo("3m05s");
        assertThat(Formats.duration(Duration.ofMinutes(62))).isEqualTo("1h02m");
        assertThat(Formats.duration(Duration.ofHours(51))).isEqualTo("2d03h");
    }

    @Test
    void cellsAreOneLineAndShowAbsentValuesAsADash() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        assertThat(Formats.cell("two\n  lines")).isEqualTo("two lines");
        assertThat(Formats.cell(null)).isEqualTo("-");
        assertThat(Formats.cell(json.nullNode())).isEqualTo("-");
        assertThat(Formats.cell(json.missingNode())).isEqualTo("-");
        assertThat(Formats.cell(json.numberNode(3))).isEqualTo("3");
        assertThat(Formats.cell("")).isEqualTo("-");
    }

    @Test
    void truncationEndsInAnEllipsis() {
        assertThat(Formats.truncate("abcdef", 4)).isEqualTo("abc…");
        assertThat(Formats.truncate("abcd", 4)).isEqualTo("abcd");
    }

    @Test
    void localTimesAreInTheUsersZone() {
        assertThat(Formats.localTime(NOW, ZoneId.of("Europe/Berlin"))).isEqualTo("2025-06-01 14:00:00");
        assertThat(Formats.instant(JsonNodeFactory.instance.textNode("2025-06-01T12:00:00.123Z"))).isEqualTo("2025-06-01T12:00:00.123Z");
        assertThat(Formats.instant(JsonNodeFactory.instance.textNode("yesterday"))).isNull();
    }
}
