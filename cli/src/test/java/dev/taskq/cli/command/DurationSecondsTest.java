package dev.taskq.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationSecondsTest {

    private final DurationSeconds converter = new DurationSeconds();

    @Test
    void aPlainNumberIsSeconds() {
        assertThat(converter.convert("600")).isEqualTo(600);
        assertThat(converter.convert("0")).isZero();
    }

    @Test
    void unitsAddUp() {
        assertThat(converter.convert("90s")).isEqualTo(90);
        assertThat(converter.convert("10m")).isEqualTo(600);
        assertThat(converter.convert("2h")).isEqualTo(7200);
        assertThat(converter.convert("1H30M")).isEqualTo(5400);
        assertThat(converter.convert("1h0m5s")).isEqualTo(3605);
    }

    @Test
    void anythingElseIsRefusedWithAnExample() {
        for (String text : new String[] {"", "ten", "5d", "1.5h", "-3", "m", "99999999999"}) {
            assertThatThrownBy(() -> converter.convert(text)).as(text).isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }
}
