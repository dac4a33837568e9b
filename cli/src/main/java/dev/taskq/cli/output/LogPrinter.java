package dev.taskq.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a task's log lines as they come, whole pages or live: the model's text as is, other kinds tagged
 * ({@code [tool_use] Bash: ls}), and a marker where a new attempt starts. JSON output is one object per line.
 */
public final class LogPrinter {

    private final PrintWriter out;
    private final boolean json;
    private int attempt;

    public LogPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    public void print(JsonNode line) {
        if (json) {
            out.println(line.toString());
            out.flush();
            return;
        }
        int lineAttempt = line.path("attempt").asInt();
        if (lineAttempt != attempt) {
            if (attempt != 0 || lineAttempt > 1) {
                out.println("--- attempt " + lineAttempt + " ---");
            }
            attempt = lineAttempt;
        }
        out.println(render(line));
        out.flush();
    }

    /** One log line as a person reads it. */
    public static String render(JsonNode line) {
        String kind = line.path("kind").asText();
        String text = line.path("text").asText();
        return switch (kind) {
            case "ASSISTANT", "RESULT", "" -> text;
            default -> "[" + kind.toLowerCase(Locale.ROOT) + "] " + text;
        };
    }
}
