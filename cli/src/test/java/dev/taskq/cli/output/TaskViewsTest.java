package dev.taskq.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TaskViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TaskViews views = new TaskViews(Instant.parse("2025-06-01T12:00:00Z"), ZoneId.of("UTC"));

    @Test
    void aFinishedTaskShowsItsSettingsResultCostAndAttempts() throws Exception {
        StringWriter out = new StringWriter();

        views.printTask(new PrintWriter(out), JSON.readTree("""
                {"id":"11111111-1111-1111-1111-111111111111","prompt":"Build\\nit","priority":8,"priorityClass":"P1",
                 "status":"SUCCEEDED","statusReason":null,"waitingReason":null,"pool":"default","model":null,
                 "metadata":{"team":"core"},"dependsOn":[],"currentAttempt":1,"maxAttempts":3,
                 "createdAt":"2025-06-01T11:58:00Z","startedAt":"2025-06-01T11:58:10Z","finishedAt":"2025-06-01T11:59:15Z",
                 "result":{"text":"All green.\\nShipped.","numTurns":4,"totalCostUsd":0.0123,"exitCode":0},
                 "attempts":[{"attempt":1,"status":"SUCCEEDED","workerId":"w-1","startedAt":"2025-06-01T11:58:10Z",
                              "finishedAt":"2025-06-01T11:59:15Z","reason":null}]}"""));

        assertThat(out.toString()).contains(
                "Task:      11111111-1111-1111-1111-111111111111",
                "Status:    SUCCEEDED\n",
                "Prompt:    Build it",
                "Priority:  8 (P1)",
                "Metadata:  team=core",
                "Attempt:   1 of 3",
                "Finished:  2025-06-01 11:59:15 (45s ago), ran 1m05s",
                "Cost:      $0.0123, 4 turns, exit code 0",
                "Result:\n  All green.\n  Shipped.",
                "ATTEMPT  STATUS     WORKER  STARTED              RAN    REASON",
                "1        SUCCEEDED  w-1     2025-06-01 11:58:10  1m05s  -");
        assertThat(out.toString()).doesNotContain("Model:");
    }

    @Test
    void aTaskAClaudeSessionSubmittedNamesTheSession() throws Exception {
        StringWriter out = new StringWriter();

        views.printTask(new PrintWriter(out), JSON.readTree("""
                {"id":"11111111-1111-1111-1111-111111111111","prompt":"p","priority":5,"priorityClass":"P2",
                 "status":"QUEUED","pool":"default","dependsOn":[],"currentAttempt":0,"maxAttempts":3,
                 "submittedBySession":"2e5d08a7-3882-41ca-a512-5ca44022c3a7","createdAt":"2025-06-01T11:58:00Z",
                 "attempts":[]}"""));

        assertThat(out.toString()).containsPattern("Claude session: +2e5d08a7-3882-41ca-a512-5ca44022c3a7\n");
    }

    @Test
    void aTaskWaitingForAnAnswerShowsItsQuestionInFullAndHowToAnswerIt() throws Exception {
        StringWriter out = new StringWriter();

        views.printTask(new PrintWriter(out), JSON.readTree("""
                {"id":"22222222-2222-2222-2222-222222222222","prompt":"Migrate the data","priority":5,"priorityClass":"P2",
                 "status":"WAITING_FOR_INPUT","statusReason":"waiting for an answer to: Which database? staging or production",
                 "pool":"default","repo":{"url":"git@github.com:acme/app.git","ref":"main"},"metadata":{},"dependsOn":[],
                 "currentAttempt":2,"maxAttempts":3,"createdAt":"2025-06-01T11:00:00Z",
                 "question":{"text":"Which database?\\nstaging or production","askedAt":"2025-06-01T11:58:00Z","attempt":2},
                 "questions":[{"attempt":1,"question":"Run the migration now?","askedAt":"2025-06-01T11:10:00Z",
                               "answer":"Yes, after the backup.","answeredAt":"2025-06-01T11:20:00Z"},
                              {"attempt":2,"question":"Which database?\\nstaging or production","askedAt":"2025-06-01T11:58:00Z",
                               "answer":null,"answeredAt":null}],
                 "attempts":[]}"""));

        assertThat(out.toString()).contains(
                "Status:    WAITING_FOR_INPUT (waiting for an answer to: Which database? staging or production)",
                "Repo:      git@github.com:acme/app.git @ main",
                """

                        Questions answered:
                          attempt 1, 2025-06-01 11:10:00 (50m ago): Run the migration now?
                            answer: Yes, after the backup.

                        Question (attempt 2, asked 2025-06-01 11:58:00 (2m ago)):
                          Which database?
                          staging or production
                        Answer it with: taskq answer 22222222-2222-2222-2222-222222222222 TEXT
                        """);
    }

    @Test
    void aWaitingTaskSaysWhyItWaits() throws Exception {
        assertThat(TaskViews.status(JSON.readTree("{\"status\":\"WAITING\",\"waitingReason\":\"waiting for 1 of 2 dependencies\"}")))
                .isEqualTo("WAITING (waiting for 1 of 2 dependencies)");
        assertThat(TaskViews.status(JSON.readTree("{\"status\":\"QUEUED\",\"statusReason\":null}"))).isEqualTo("QUEUED");
    }
}
