package dev.taskq.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LogPrinterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode line(int attempt, String kind, String text) {
        return JSON.createObjectNode().put("id", 1).put("attempt", attempt).put("kind", kind).put("text", text);
    }

    @Test
    void theModelsTextIsPrintedAsIsOtherKindsTaggedAndANewAttemptMarked() {
        StringWriter out = new StringWriter();
        LogPrinter printer = new LogPrinter(new PrintWriter(out), false);

        printer.print(line(1, "SYSTEM", "init"));
        printer.print(line(1, "ASSISTANT", "Looking at the files"));
        printer.print(line(1, "TOOL_USE", "Bash: ls"));
        printer.print(line(2, "ASSISTANT", "Again"));
        printer.print(line(2, "RESULT", "done"));

        assertThat(out.toString()).isEqualTo("""
                [system] init
                Looking at the files
                [tool_use] Bash: ls
                --- attempt 2 ---
                Again
                done
                """);
    }

    @Test
    void jsonOutputIsOneObjectPerLine() throws Exception {
        StringWriter out = new StringWriter();
        LogPrinter printer = new LogPrinter(new PrintWriter(out), true);

        printer.print(line(1, "ASSISTANT", "a\nb"));
        printer.print(line(1, "RESULT", "c"));

        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines[0]).path("text").asText()).isEqualTo("a\nb");
    }
}
