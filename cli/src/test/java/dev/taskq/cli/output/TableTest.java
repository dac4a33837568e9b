package dev.taskq.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAlignedToTheirWidestCellWithoutTrailingSpaces() {
        Table table = new Table("ID", "STATUS", "PROMPT")
                .row("a1", "RUNNING", "Build it")
                .row("b2222", null, "Test\nit");
        StringWriter text = new StringWriter();

        table.print(new PrintWriter(text));

        assertThat(text.toString()).isEqualTo("""
                ID     STATUS   PROMPT
                a1     RUNNING  Build it
                b2222  -        Test it
                """);
    }

    @Test
    void aShortRowIsPaddedAndALongOneRefused() {
        StringWriter text = new StringWriter();
        new Table("A", "B").row("x").print(new PrintWriter(text));

        assertThat(text.toString()).isEqualTo("A  B\nx\n");
        assertThatThrownBy(() -> new Table("A").row("x", "y")).isInstanceOf(IllegalArgumentException.class);
    }
}
