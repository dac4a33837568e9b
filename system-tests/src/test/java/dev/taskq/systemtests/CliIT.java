package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.cli.CliEnvironment;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.TaskqCli;
import dev.taskq.testsupport.FakeClaude;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code taskq} command-line tool against the whole running system (workers run the fake claude): every
 * command, run in-process through picocli with its output captured, with the exit codes a script relies on.
 */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** In a prompt: the session asks this question through the worker's AskHuman tool (see {@link #askingClaude}). */
    private static final String QUESTION = "Which database should the migration target?";

    private static RunningStack system;
    private static Path home;
    private static Path claudeArgv;

    @BeforeAll
    static void startSystem() throws Exception {
        Path bin = Files.createTempDirectory("taskq-cli-bin");
        claudeArgv = bin.resolve("argv.log");
        system = RunningStack.start(askingClaude(FakeClaude.install(bin.resolve("fake")), claudeArgv), null, 1, 2);
        // A home without a config file, so the developer's own ~/.config/taskq never leaks into the test.
        home = Files.createTempDirectory("taskq-cli-home");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void submitWithWaitShowsProgressThenPrintsTheResultAndExitsZero() {
        Run run = taskq("submit", "Say hello [fake:lines=2]", "--wait", "--priority", "P1", "--metadata", "team=cli");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).contains("Submitted task ").containsPattern("\\] SUCCEEDED");
        assertThat(run.out()).contains("Status:    SUCCEEDED", "Priority:  8 (P1)", "Metadata:  team=cli", "Result:\n  ok");
    }

    @Test
    void submitWithBadInputExitsThreeNamingTheField() {
        Run run = taskq("submit", "never runs", "--max-turns", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).contains("taskq: The request is invalid", "maxTurns: ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void listAndStatusShowTheTask() {
        UUID id = submitAndWait("Listed task [fake:lines=1]");

        Run list = taskq("list", "--status", "SUCCEEDED", "--limit", "200");
        Run summary = taskq("status");
        Run status = taskq("status", id.toString());

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).startsWith("ID ").containsPattern(id + "\\s+SUCCEEDED\\s+P2\\s+default\\s+\\d+[smh]\\s+Listed task");
        assertThat(summary.exitCode()).isZero();
        assertThat(summary.out()).containsPattern("Last \\d+ tasks: .*SUCCEEDED").contains(id.toString());
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("Task:      " + id, "Prompt:    Listed task [fake:lines=1]", "ATTEMPT  STATUS");
    }

    @Test
    void jsonOutputIsTheApisJson() throws Exception {
        UUID id = submitAndWait("As JSON");

        JsonNode task = JSON.readTree(taskq("status", id.toString(), "--output", "json").out());
        JsonNode page = JSON.readTree(taskq("-o", "json", "list", "--limit", "5").out());
        JsonNode fromApi = JSON.readTree(system.api().get("/api/v1/tasks/" + id).then().extract().asString());

        assertThat(task).isEqualTo(fromApi);
        assertThat(page.path("items")).anySatisfy(item -> assertThat(item.path("id").asText()).isEqualTo(id.toString()));
    }

    @Test
    void logsPrintTheSessionsLinesAndFollowStreamsThemLive() throws Exception {
        Run followed = taskq("submit", "Three lines [fake:lines=3]", "--follow");
        assertThat(followed.exitCode()).as(followed.toString()).isZero();
        assertThat(followed.out()).contains("line 1 of 3\n", "line 3 of 3\n");
        UUID id = UUID.fromString(followed.err().replaceAll("(?s).*Submitted task ([^:]+):.*", "$1"));

        Run logs = taskq("logs", id.toString());
        Run again = taskq("logs", "-f", id.toString());
        Run asJson = taskq("logs", id.toString(), "-o", "json");

        assertThat(logs.exitCode()).isZero();
        assertThat(logs.out()).contains("line 1 of 3\nline 2 of 3\nline 3 of 3\n");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo(logs.out());
        for (String line : asJson.out().split("\n")) {
            assertThat(JSON.readTree(line).path("id").isNumber()).as(line).isTrue();
        }
    }

    @Test
    void cancelEndsARunningTask() throws Exception {
        UUID id = UUID.fromString(JSON.readTree(taskq("-o", "json", "submit", "Slow [fake:sleep=60]").out()).path("id").asText());

        Run cancel = taskq("cancel", id.toString());
        Run again = taskq("cancel", id.toString());

        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).startsWith("Cancelled task " + id + " and every task waiting on it: CANCELLED");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(again.err()).contains("The task has already finished");
        assertThat(taskq("logs", "--follow", id.toString()).exitCode()).as("following a cancelled task").isEqualTo(ExitCodes.UNSUCCESSFUL);
    }

    @Test
    void aFailedTaskExitsOneUnderWaitAndRetryCreatesANewTaskThatRepeatsIt() throws Exception {
        Run failed = taskq("-o", "json", "submit", "Fails [fake:fail]", "--max-attempts", "1", "--wait");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.UNSUCCESSFUL);
        String id = JSON.readTree(failed.out()).path("id").asText();
        assertThat(JSON.readTree(failed.out()).path("status").asText()).isEqualTo("FAILED");

        Run retry = taskq("retry", id, "--context", "Try harder.", "--wait");

        assertThat(retry.exitCode()).as("the retry fails the same way").isEqualTo(ExitCodes.UNSUCCESSFUL);
        assertThat(retry.err()).contains("Retry task ").contains("repeats " + id);
        assertThat(retry.out()).contains("Retry of:  " + id, "Prompt:    Fails [fake:fail] Try harder.", "Status:    FAILED");
    }

    @Test
    void resumeContinuesAFinishedSession() {
        UUID id = submitAndWait("First session");

        Run resume = taskq("resume", id.toString(), "--context", "Carry on", "--wait");

        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        assertThat(resume.out()).contains("Resumes:   " + id, "Prompt:    Carry on", "Status:    SUCCEEDED");
    }

    @Test
    void aWorkflowSubmittedFromYamlRunsToTheEnd() throws Exception {
        Path file = home.resolve("review.yaml");
        Files.writeString(file, """
                name: cli-review
                tasks:
                  - ref: build
                    prompt: Build it
                  - ref: test
                    prompt: Test it
                    dependsOn: [build]
                    continueFrom: build
                    priority: 7
                """);

        Run submitted = taskq("workflow", "submit", file.toString(), "--wait");

        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        assertThat(submitted.err()).contains("Submitted workflow ").containsPattern("\\] test SUCCEEDED").contains("workflow SUCCEEDED");
        assertThat(submitted.out()).contains("Name:      cli-review", "Status:    SUCCEEDED (0 of 2 tasks unfinished)")
                .containsPattern("build\\s+\\S+\\s+SUCCEEDED").containsPattern("test\\s+\\S+\\s+SUCCEEDED\\s+build");
        String id = submitted.err().replaceAll("(?s).*Submitted workflow ([^:]+):.*", "$1");
        assertThat(taskq("workflow", "status", id).out()).contains("Workflow:  " + id);
        assertThat(taskq("workflow", "list").out()).contains(id);
    }

    @Test
    void aScheduleIsCreatedListedPausedResumedAndCancelled() throws Exception {
        Run created = taskq("-o", "json", "schedule", "create", "--name", "cli-nightly", "--cron", "0 3 * * *",
                "--timezone", "Europe/Berlin", "--overlap-policy", "allow", "--pool", "default", "Nightly report");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        JsonNode schedule = JSON.readTree(created.out());
        String id = schedule.path("id").asText();
        assertThat(schedule.path("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(schedule.path("overlapPolicy").asText()).isEqualTo("allow");

        assertThat(taskq("schedule", "list").out()).containsPattern(id + "\\s+cli-nightly\\s+ACTIVE\\s+cron 0 3 \\* \\* \\* \\(Europe/Berlin\\)");
        assertThat(taskq("schedule", "get", id).out()).contains("Name:         cli-nightly", "Next fires:");
        assertThat(taskq("schedule", "pause", id).out()).isEqualTo("Paused schedule " + id + ": PAUSED\n");
        assertThat(taskq("schedule", "resume", id).out()).isEqualTo("Resumed schedule " + id + ": ACTIVE\n");
        assertThat(taskq("schedule", "cancel", id).out()).isEqualTo("Cancelled schedule " + id + ": CANCELLED\n");
        Run pauseCancelled = taskq("schedule", "pause", id);
        assertThat(pauseCancelled.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(pauseCancelled.err()).contains("taskq: The schedule cannot change that way");
    }

    @Test
    void anInvalidScheduleExitsThreeNamingTheField() {
        Run run = taskq("schedule", "create", "--name", "bad", "--cron", "not a cron", "x");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).contains("taskq: The schedule is invalid", "  cron: ");
    }

    @Test
    void workersListsTheWorker() {
        Run run = taskq("workers");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("local-worker-0-\\S+\\s+\\S+\\s+default\\s+\\d/2\\s+\\d+s ago\\s+yes");
    }

    @Test
    void anUnknownIdExitsFour() {
        Run run = taskq("status", UUID.randomUUID().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).startsWith("taskq: Task not found: ");
    }

    @Test
    void aWrongTokenExitsThreeWithTheAuthErrorAndNeverPrintsTheToken() {
        Run run = taskq(Map.of("TASKQ_SERVER", system.stack.gatewayUrl(), "TASKQ_TOKEN", "wrong-token-1234"), "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).contains("taskq: Authentication required", "TASKQ_TOKEN");
        assertThat(run.out() + run.err()).doesNotContain("wrong-token-1234").doesNotContain(system.stack.apiToken());
    }

    @Test
    void aQuestionStopsTheWaitStatusShowsItAndAnswerQueuesTheTaskToResumeItsSessionOnce() throws Exception {
        Run submitted = taskq("submit", "Plan the migration [ask:" + QUESTION + "]", "--wait");

        assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(ExitCodes.NEEDS_ANSWER);
        String id = submitted.err().replaceAll("(?s).*Submitted task ([^:]+):.*", "$1");
        assertThat(submitted.out()).contains("Status:    WAITING_FOR_INPUT", "  " + QUESTION + "\n",
                "Answer it with: taskq answer " + id + " TEXT");

        Run status = taskq("status", id);
        String session = JSON.readTree(taskq("-o", "json", "status", id).out()).path("sessionId").asText();

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("Question \\(attempt 1, asked .+\\):\n  " + Pattern.quote(QUESTION)
                + "\nAnswer it with: taskq answer " + id + " TEXT\n");

        Run answer = taskq("answer", id, "PostgreSQL 17, the cluster called orders-db.");
        Run again = taskq("answer", id, "MySQL after all");

        assertThat(answer.exitCode()).as(answer.toString()).isZero();
        assertThat(answer.out()).isEqualTo("Answered task " + id + ": QUEUED (answered; resuming session " + session + ")\n");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(again.err()).contains("not WAITING_FOR_INPUT");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                system.api().get("/api/v1/tasks/" + id).then().extract().jsonPath().getString("status")).isEqualTo("SUCCEEDED"));
        Run done = taskq("status", id);
        assertThat(done.out()).contains("Questions answered:", "    answer: PostgreSQL 17, the cluster called orders-db.")
                .doesNotContain("MySQL");
        assertThat(Files.readString(claudeArgv)).as("the second attempt resumes the session that asked")
                .contains("--resume " + session + " --fork-session");
    }

    /**
     * The fake claude behind a wrapper that logs each argv to {@code argvLog} and, in a fresh session whose prompt holds
     * {@code [ask:QUESTION]}, first asks QUESTION as the real CLI would call a tool: a JSON-RPC {@code tools/call} of
     * AskHuman to the worker's MCP endpoint named in {@code --mcp-config}, with the attempt's token from the environment.
     * It then leaves an (empty) transcript where the worker looks for one before resuming, and runs the fake claude,
     * which ends the turn normally. (The fake itself speaks no MCP.)
     */
    private static Path askingClaude(Path fakeClaude, Path argvLog) throws Exception {
        Path wrapper = argvLog.resolveSibling("claude");
        Files.writeString(wrapper, """
                #!/bin/sh
                set -u
                printf '%%s\\n' "$*" >>'%s'
                prompt=""; mcp=""; session=""; resume=""; previous=""
                for arg in "$@"; do
                  case "$previous" in
                    -p) prompt="$arg" ;;
                    --mcp-config) mcp="$arg" ;;
                    --session-id) session="$arg" ;;
                    --resume) resume="$arg" ;;
                  esac
                  previous="$arg"
                done
                case "$prompt" in
                  *"[ask:"*"]"*)
                    if [ -z "$resume" ]; then
                      question="${prompt#*\\[ask:}"; question="${question%%%%]*}"
                      url=$(printf '%%s' "$mcp" | sed -n 's/.*"url":"\\([^"]*\\)".*/\\1/p')
                      call='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"AskHuman","arguments":{"question":"'"$question"'"}}}'
                      reply=$(curl -sS --max-time 10 -H "Authorization: Bearer ${TASKQ_SESSION_MCP_TOKEN:-}" \\
                        -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\
                        --data "$call" "$url") || { echo "AskHuman: no answer from '$url'" >&2; exit 1; }
                      case "$reply" in
                        *'"isError":false'*) ;;
                        *) echo "AskHuman refused: $reply" >&2; exit 1 ;;
                      esac
                      project="$HOME/.claude/projects/$(pwd -P | sed 's/[^A-Za-z0-9]/-/g')"
                      mkdir -p "$project" && : >"$project/$session.jsonl"
                    fi
                    ;;
                esac
                exec '%s' "$@"
                """.formatted(argvLog, fakeClaude));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }

    /** Submits a task, waits until it ended and returns its id. */
    private static UUID submitAndWait(String prompt) {
        Run run = taskq("-o", "json", "submit", prompt, "--wait");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try {
            return UUID.fromString(JSON.readTree(run.out()).path("id").asText());
        } catch (Exception e) {
            throw new AssertionError("not a task: " + run, e);
        }
    }

    private static Run taskq(String... args) {
        return taskq(Map.of("TASKQ_SERVER", system.stack.gatewayUrl(), "TASKQ_TOKEN", system.stack.apiToken()), args);
    }

    /** One run of the CLI in this JVM, configured by environment variables as a user's shell would. */
    private static Run taskq(Map<String, String> variables, String... args) {
        CliEnvironment environment = new CliEnvironment(variables, home, new ByteArrayInputStream(new byte[0]),
                Clock.systemUTC(), ZoneId.of("UTC"));
        TaskqCli.Captured run = TaskqCli.runCaptured(environment, args);
        return new Run(run.exitCode(), run.out(), run.err());
    }

    /** What one run printed and how it exited. */
    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
