package dev.taskq.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human renderings of tasks: one in full, a list as a table. */
public final class TaskViews {

    private static final int PROMPT_IN_TABLE = 60;
    private static final int PROMPT_IN_DETAIL = 400;
    private static final int QUESTION_IN_HISTORY = 200;

    private final Instant now;
    private final ZoneId zone;

    public TaskViews(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A task in full (GET /api/v1/tasks/{id}): its fields, its result and its attempts. */
    public void printTask(PrintWriter out, JsonNode task) {
        List<String[]> fields = new ArrayList<>();
        fields.add(field("Task", task.path("id")));
        fields.add(field("Status", status(task)));
        fields.add(field("Prompt", Formats.truncate(Formats.oneLine(task.path("prompt").asText()), PROMPT_IN_DETAIL)));
        fields.add(field("Priority", task.path("priority").asText() + " (" + task.path("priorityClass").asText() + ")"));
        fields.add(field("Pool", task.path("pool")));
        optional(fields, "Model", task.path("model"));
        optional(fields, "Working dir", task.path("workingDir"));
        if (task.path("repo").isObject()) {
            JsonNode repo = task.path("repo");
            fields.add(field("Repo", repo.path("url").asText() + (repo.hasNonNull("ref") ? " @ " + repo.path("ref").asText() : "")));
        }
        if (task.hasNonNull("workflowId")) {
            fields.add(field("Workflow", task.path("workflowId").asText() + " (" + task.path("workflowRef").asText() + ")"));
        }
        if (!task.path("dependsOn").isEmpty()) {
            fields.add(field("Depends on", join(task.path("dependsOn")) + " (" + task.path("onDependencyFailure").asText()
                    + " on failure)"));
        }
        optional(fields, "Continues", task.path("continueFrom"));
        optional(fields, "Retry of", task.path("retryOf"));
        optional(fields, "Resumes", task.path("parentTaskId"));
        optional(fields, "Claude session", task.path("submittedBySession"));
        optional(fields, "Concurrency", task.path("concurrencyKey"));
        if (task.hasNonNull("maxBudgetUsd")) {
            fields.add(field("Budget", "$" + task.path("maxBudgetUsd").asText()));
        }
        optional(fields, "Allowed tools", join(task.path("allowedTools")));
        optional(fields, "Denied tools", join(task.path("disallowedTools")));
        optional(fields, "Permissions", task.path("permissionMode"));
        if (!task.path("metadata").isEmpty()) {
            List<String> labels = new ArrayList<>();
            task.path("metadata").properties().forEach(entry -> labels.add(entry.getKey() + "=" + entry.getValue().asText()));
            fields.add(field("Metadata", String.join(", ", labels)));
        }
        fields.add(field("Attempt", task.path("currentAttempt").asText() + " of " + task.path("maxAttempts").asText()));
        fields.add(field("Created", when(task.path("createdAt"))));
        optional(fields, "Started", when(task.path("startedAt")));
        Instant started = Formats.instant(task.path("startedAt"));
        Instant finished = Formats.instant(task.path("finishedAt"));
        if (finished != null) {
            fields.add(field("Finished", when(task.path("finishedAt"))
                    + (started != null ? ", ran " + Formats.duration(Duration.between(started, finished)) : "")));
        }
        JsonNode result = task.path("result");
        if (result.isObject()) {
            List<String> parts = new ArrayList<>();
            if (result.hasNonNull("totalCostUsd")) {
                parts.add(String.format(Locale.ROOT, "$%.4f", result.path("totalCostUsd").decimalValue()));
            }
            if (result.hasNonNull("numTurns")) {
                int turns = result.path("numTurns").asInt();
                parts.add(turns + (turns == 1 ? " turn" : " turns"));
            }
            if (result.hasNonNull("exitCode")) {
                parts.add("exit code " + result.path("exitCode").asInt());
            }
            if (!parts.isEmpty()) {
                fields.add(field("Cost", String.join(", ", parts)));
            }
        }
        printFields(out, fields);
        printQuestions(out, task);
        if (result.hasNonNull("text")) {
            out.println();
            out.println("Result:");
            result.path("text").asText().lines().forEach(line -> out.println("  " + line));
        }
        JsonNode attempts = task.path("attempts");
        if (attempts.size() > 0) {
            out.println();
            Table table = new Table("ATTEMPT", "STATUS", "WORKER", "STARTED", "RAN", "REASON");
            for (JsonNode attempt : attempts) {
                Instant attemptStarted = Formats.instant(attempt.path("startedAt"));
                Instant attemptFinished = Formats.instant(attempt.path("finishedAt"));
                table.row(attempt.path("attempt"), attempt.path("status"), attempt.path("workerId"),
                        Formats.localTime(attemptStarted, zone),
                        attemptStarted == null ? null : Formats.duration(Duration.between(attemptStarted,
                                attemptFinished != null ? attemptFinished : now)),
                        attempt.path("reason"));
            }
            table.print(out);
        }
        out.flush();
    }

    /**
     * The question the task waits to have answered, in full with how to answer it, and the questions its sessions asked
     * before, with their answers, one line each.
     */
    private void printQuestions(PrintWriter out, JsonNode task) {
        List<JsonNode> answered = new ArrayList<>();
        task.path("questions").forEach(question -> {
            if (question.hasNonNull("answer")) {
                answered.add(question);
            }
        });
        if (!answered.isEmpty()) {
            out.println();
            out.println("Questions answered:");
            for (JsonNode question : answered) {
                out.println("  attempt " + question.path("attempt").asInt() + ", " + when(question.path("askedAt")) + ": "
                        + Formats.truncate(Formats.oneLine(question.path("question").asText()), QUESTION_IN_HISTORY));
                out.println("    answer: " + Formats.truncate(Formats.oneLine(question.path("answer").asText()), QUESTION_IN_HISTORY));
            }
        }
        JsonNode pending = task.path("question");
        if (pending.isObject()) {
            out.println();
            out.println("Question (attempt " + pending.path("attempt").asInt() + ", asked " + when(pending.path("askedAt")) + "):");
            pending.path("text").asText().lines().forEach(line -> out.println("  " + line));
            out.println("Answer it with: taskq answer " + task.path("id").asText() + " TEXT");
        }
    }

    /** Task summaries (the items of GET /api/v1/tasks) as a table, newest first as the API lists them. */
    public Table taskTable(Iterable<JsonNode> summaries) {
        Table table = new Table("ID", "STATUS", "PRI", "POOL", "AGE", "PROMPT");
        for (JsonNode task : summaries) {
            table.row(task.path("id"), task.path("status"), task.path("priorityClass"), task.path("pool"),
                    Formats.age(Formats.instant(task.path("createdAt")), now),
                    Formats.truncate(Formats.oneLine(task.path("promptPreview").asText()), PROMPT_IN_TABLE));
        }
        return table;
    }

    /** A status with why it is so: the status reason, or for a task not started yet why it waits. */
    public static String status(JsonNode task) {
        String status = task.path("status").asText();
        String reason = Formats.text(task.path("statusReason"));
        String waiting = Formats.text(task.path("waitingReason"));
        String why = reason != null ? reason : waiting;
        return why == null ? status : status + " (" + Formats.oneLine(why) + ")";
    }

    private String when(JsonNode value) {
        Instant instant = Formats.instant(value);
        return instant == null ? null : Formats.localTime(instant, zone) + " (" + Formats.age(instant, now) + " ago)";
    }

    private static void optional(List<String[]> fields, String name, Object value) {
        String cell = Formats.cell(value);
        if (!"-".equals(cell)) {
            fields.add(new String[] {name, cell});
        }
    }

    private static String[] field(String name, Object value) {
        return new String[] {name, Formats.cell(value)};
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return String.join(", ", items);
    }

    /** Name-value lines, the values aligned. */
    public static void printFields(PrintWriter out, List<String[]> fields) {
        int width = fields.stream().mapToInt(field -> field[0].length()).max().orElse(0);
        for (String[] field : fields) {
            out.println(field[0] + ":" + " ".repeat(width - field[0].length() + 2) + field[1]);
        }
    }
}
