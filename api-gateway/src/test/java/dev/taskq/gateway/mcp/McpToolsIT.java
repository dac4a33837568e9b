package dev.taskq.gateway.mcp;

import static dev.taskq.gateway.Fixtures.client;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.gateway.mcp.McpClient.ToolResult;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MCP endpoint driven over HTTP as an MCP client drives it: JSON-RPC through Streamable HTTP. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class McpToolsIT {

    private McpClient mcp;

    @BeforeEach
    void connect() {
        mcp = McpClient.connect();
    }

    @Test
    void aCallWithoutAValidTokenIsRefusedWithAProblemAndAChallenge() {
        String initialize = """
                {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
                 "capabilities": {}, "clientInfo": {"name": "anonymous", "version": "1"}}}""";
        given().contentType("application/json").accept("application/json, text/event-stream").body(initialize)
                .post(McpClient.PATH).then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"taskq\"")
                .contentType("application/problem+json")
                .body("status", is(401))
                .body("title", is("Authentication required"))
                .body("instance", is("/mcp"));
        given().auth().oauth2("not-the-token").contentType("application/json").accept("application/json, text/event-stream")
                .body(initialize).post(McpClient.PATH).then().statusCode(401);
        // The extension's legacy SSE endpoint lives below /mcp: guarded the same way.
        given().get(McpClient.PATH + "/sse").then().statusCode(401);
    }

    @Test
    void aViewerKeyReadsThroughToolsButMayNotDelegateAndAWorkerKeyMayDoNeither() {
        McpClient viewer = McpClient.connect(Fixtures.createKey("viewer").secret());
        assertThat(viewer.callTool("ListTasks", Map.of()).isError()).isFalse();
        ToolResult refused = viewer.callTool("DelegateTask", Map.of("prompt", "p"));
        assertThat(refused.isError()).isTrue();
        assertThat(refused.text()).contains("Not allowed for this API key").contains("submitter");

        McpClient worker = McpClient.connect(Fixtures.createKey("worker").secret());
        assertThat(worker.callTool("ListTasks", Map.of()).isError()).isTrue();
    }

    @Test
    void aSubmitterKeyDelegatesAndTheTaskRecordsTheKey() {
        Fixtures.Key key = Fixtures.createKey("submitter");
        UUID id = McpClient.connect(key.secret()).callTool("DelegateTask", Map.of("prompt", "p")).firstId();
        client().get("/api/v1/tasks/" + id).then().statusCode(200).body("submittedBy.keyId", is(key.id().toString()));
    }

    @Test
    void toolsListNamesEveryToolWithADescription() {
        assertThat(mcp.toolNames()).containsExactlyInAnyOrder("DelegateTask", "SubmitWorkflow", "TaskStatus", "ListTasks",
                "TaskLogs", "AnswerQuestion", "CancelTask", "RetryTask", "ResumeTask", "ScheduleTask", "ListSchedules", "GetSchedule",
                "PauseSchedule", "ResumeSchedule", "CancelSchedule", "SessionCheckIn");
        List<String> descriptions = mcp.call("tools/list", Map.of()).getList("tools.description", String.class);
        assertThat(descriptions).allSatisfy(description -> assertThat(description).hasSizeGreaterThan(40));
    }

    @Test
    void delegateTaskCreatesATaskThatTheRestApiShows() {
        ToolResult delegated = mcp.callTool("DelegateTask", Map.of(
                "prompt", "Summarise the README for the release notes",
                "priority", "P1",
                "maxTurns", 12,
                "timeoutSeconds", 900,
                "maxAttempts", 2,
                "onDependencyFailure", "run",
                "metadata", Map.of("via", "mcp")));

        assertThat(delegated.isError()).as(delegated.text()).isFalse();
        UUID id = delegated.firstId();
        // Whether a worker serves the pool depends on what other tests left in the database: only the frame is fixed.
        assertThat(delegated.text()).startsWith("Task " + id + " queued (P1, pool default)").endsWith(". Check it with TaskStatus.");
        client().get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("prompt", is("Summarise the README for the release notes"))
                .body("status", is("QUEUED"))
                .body("priority", is(8))
                .body("maxTurns", is(12))
                .body("timeoutSeconds", is(900))
                .body("maxAttempts", is(2))
                .body("onDependencyFailure", is("run"))
                .body("metadata.via", is("mcp"));

        ToolResult status = mcp.callTool("TaskStatus", Map.of("taskId", id.toString()));
        assertThat(status.isError()).isFalse();
        assertThat(status.text()).startsWith("Task " + id + ": QUEUED, P1, pool default.")
                .contains("Prompt: Summarise the README for the release notes")
                .contains("Next: read its output with TaskLogs; stop it with CancelTask.");
    }

    @Test
    void theStatusOfAFailedTaskShowsItsAttemptsResultCostErrorAndWhatToDoNext() {
        UUID task = Fixtures.insertTask(TaskStatus.FAILED);
        Fixtures.update("""
                update tasks set current_attempt = 2, max_attempts = 3, session_id = ?, status_reason = 'the session reported an error',
                    result_subtype = 'success', result_is_error = true, result_text = 'API Error: 400 bad request', num_turns = 3,
                    total_cost_usd = 0.01234, exit_code = 1, failure_cause = 'SESSION_ERROR'
                where id = ?""", UUID.randomUUID(), task);

        ToolResult status = mcp.callTool("TaskStatus", Map.of("taskId", task.toString()));

        assertThat(status.isError()).isFalse();
        assertThat(status.text()).startsWith("""
                Task %s: FAILED, attempt 2 of 3, P2, pool default.
                Prompt: inserted by a test
                Ended: the session reported an error
                Result: success (is_error), 3 turns, cost $0.0123
                API Error: 400 bad request
                Error: cause SESSION_ERROR, exit code 1
                Created: """.formatted(task))
                .endsWith("\nNext: run it again with RetryTask, or continue its session with ResumeTask.");
    }

    @Test
    void aTaskThatDependsOnAnotherWaitsAndSaysSo() {
        UUID first = mcp.callTool("DelegateTask", Map.of("prompt", "Build it")).firstId();

        ToolResult second = mcp.callTool("DelegateTask", Map.of("prompt", "Test it", "continueFrom", first.toString()));

        UUID id = second.firstId();
        assertThat(second.text()).isEqualTo("Task " + id + " is waiting for its dependencies (P2, pool default). Check it with TaskStatus.");
        assertThat(mcp.callTool("TaskStatus", Map.of("taskId", id.toString())).text())
                .contains("Waiting: waiting for 1 of 1 dependency")
                .contains("Depends on: " + first + " (continues from " + first + ")");
    }

    @Test
    void anEmptyPromptIsAToolErrorNamingTheFieldAsTheRestApiDoes() {
        ToolResult result = mcp.callTool("DelegateTask", Map.of("prompt", " ", "maxTurns", 0));

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).isEqualTo("""
                The request is invalid: Fix maxTurns, prompt and send the request again.
                - maxTurns: must be from 1 to 1000
                - prompt: must not be blank""");
        assertThat(Fixtures.queryString("select count(*) from tasks where prompt = ' '")).isEqualTo("0");
    }

    @Test
    void aRuleBeyondTheAnnotationsIsAToolErrorWithTheSameWords() {
        ToolResult result = mcp.callTool("DelegateTask", Map.of("prompt", "x", "workingDir", "relative/dir", "priority", "P9"));

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).contains("- priority: must be a number from 1 (lowest) to 10 (highest) or a class P0 (most urgent) to P3, got 'P9'")
                .contains("- workingDir: must be an absolute path (starting with /), got 'relative/dir'");
    }

    @Test
    void aQuestionShowsInTaskStatusAndAnswerQuestionQueuesTheTaskToResumeItsSession() {
        UUID task = Fixtures.insertTask(TaskStatus.QUEUED);
        Fixtures.askQuestion(task, "worker-q", "Should I also update the changelog?");
        String session = Fixtures.queryString("select session_id::text from tasks where id = ?", task);

        ToolResult status = mcp.callTool("TaskStatus", Map.of("taskId", task.toString()));
        assertThat(status.text()).startsWith("Task " + task + ": WAITING_FOR_INPUT, attempt 1 of 3, P2, pool default.")
                .contains("\nQuestion (attempt 1, asked ")
                .contains("):\nShould I also update the changelog?\n")
                .doesNotContain("Reason:")
                .endsWith("\nNext: its session asked a question; answer it with AnswerQuestion, or stop it with CancelTask.");

        ToolResult answered = mcp.callTool("AnswerQuestion", Map.of("taskId", task.toString(), "answer", "Yes, under Unreleased."));

        assertThat(answered.isError()).as(answered.text()).isFalse();
        assertThat(answered.text()).isEqualTo("Answered task " + task + ": it is QUEUED again; its session " + session
                + " resumes with your answer once a worker takes it. Check it with TaskStatus.");
        assertThat(Fixtures.queryString("select answer from task_questions where task_id = ?", task)).isEqualTo("Yes, under Unreleased.");
        assertThat(Fixtures.queryString("select resume_prompt from tasks where id = ?", task)).contains("Yes, under Unreleased.");

        ToolResult again = mcp.callTool("AnswerQuestion", Map.of("taskId", task.toString(), "answer", "No."));
        assertThat(again.isError()).isTrue();
        assertThat(again.text()).isEqualTo("The task is not waiting for an answer: Task " + task
                + " is QUEUED, not WAITING_FOR_INPUT: there is no open question to answer.");
    }

    @Test
    void aBlankAnswerOrAnUnknownTaskIsAToolErrorAsInTheRestApi() {
        UUID task = Fixtures.insertTask(TaskStatus.QUEUED);
        Fixtures.askQuestion(task, "worker-q", "Which branch?");

        ToolResult blank = mcp.callTool("AnswerQuestion", Map.of("taskId", task.toString(), "answer", "  "));
        ToolResult unknown = mcp.callTool("AnswerQuestion", Map.of("taskId", UUID.randomUUID().toString(), "answer", "main"));

        assertThat(blank.isError()).isTrue();
        assertThat(blank.text()).isEqualTo("""
                The request is invalid: Fix answer and send the request again.
                - answer: is required: the answer to the task's question, not blank""");
        assertThat(unknown.isError()).isTrue();
        assertThat(unknown.text()).startsWith("Task not found: ");
        assertThat(Fixtures.queryString("select status from tasks where id = ?", task)).isEqualTo("WAITING_FOR_INPUT");
    }

    @Test
    void delegateTaskTakesARepositoryAndTaskStatusShowsIt() {
        ToolResult delegated = mcp.callTool("DelegateTask", Map.of("prompt", "Fix the flaky test",
                "repo", Map.of("url", "git@github.com:acme/app.git", "ref", "main")));
        assertThat(delegated.isError()).as(delegated.text()).isFalse();
        assertThat(mcp.callTool("TaskStatus", Map.of("taskId", delegated.firstId().toString())).text())
                .contains("\nRepo: git@github.com:acme/app.git at main\n");

        ToolResult refused = mcp.callTool("DelegateTask", Map.of("prompt", "x", "workingDir", "/srv/app",
                "repo", Map.of("url", "https://github.com/acme/app.git", "ref", "a..b")));
        assertThat(refused.isError()).isTrue();
        assertThat(refused.text()).contains("- repo: cannot be combined with workingDir").contains("- repo.ref: must be a valid git ref name");
    }

    @Test
    void anUnknownTaskIdIsAToolErrorNamingTheTask() {
        UUID unknown = UUID.randomUUID();

        ToolResult status = mcp.callTool("TaskStatus", Map.of("taskId", unknown.toString()));
        ToolResult cancel = mcp.callTool("CancelTask", Map.of("taskId", unknown.toString()));
        ToolResult dependent = mcp.callTool("DelegateTask", Map.of("prompt", "after it", "dependsOn", List.of(unknown.toString())));

        assertThat(status.isError()).isTrue();
        assertThat(status.text()).isEqualTo("Task not found: No task with id " + unknown + ".");
        assertThat(cancel.isError()).isTrue();
        assertThat(cancel.text()).isEqualTo("Task not found: No task with id " + unknown + ".");
        assertThat(dependent.isError()).isTrue();
        assertThat(dependent.text()).contains("No task exists with id " + unknown);
    }

    @Test
    void anArgumentThatIsNotAnIdIsAToolError() {
        ToolResult result = mcp.callTool("TaskStatus", Map.of("taskId", "0f3…"));

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).contains("taskId");
    }

    @Test
    void aWorkflowWithACycleIsAToolErrorNamingTheCycle() {
        ToolResult result = mcp.callTool("SubmitWorkflow", Map.of("name", "loop", "tasks", List.of(
                Map.of("ref", "a", "prompt", "first", "dependsOn", List.of("c")),
                Map.of("ref", "b", "prompt", "second", "dependsOn", List.of("a")),
                Map.of("ref", "c", "prompt", "third", "dependsOn", List.of("b")))));

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).startsWith("The workflow is invalid: Fix tasks and send the request again; nothing was written.")
                .contains("- tasks: the dependencies form a cycle: a → b → c → a");
    }

    @Test
    void aWorkflowTaskWithAnUnknownFieldOrABlankPromptIsAToolErrorNamingIt() {
        ToolResult unknownField = mcp.callTool("SubmitWorkflow", Map.of("tasks", List.of(
                Map.of("ref", "a", "prompt", "first", "dependencies", List.of("b")))));
        ToolResult blankPrompt = mcp.callTool("SubmitWorkflow", Map.of("tasks", List.of(Map.of("ref", "a", "prompt", ""))));

        assertThat(unknownField.isError()).isTrue();
        assertThat(unknownField.text()).contains("- tasks[0].dependencies: is not a known field");
        assertThat(blankPrompt.isError()).isTrue();
        assertThat(blankPrompt.text()).contains("- tasks[0].prompt: must not be blank");
    }

    @Test
    void aWorkflowCreatesItsTasksWithTheirRefsInRequestOrder() {
        ToolResult result = mcp.callTool("SubmitWorkflow", Map.of("name", "release", "tasks", List.of(
                Map.of("ref", "build", "prompt", "Build it", "priority", "P1"),
                Map.of("ref", "test", "prompt", "Test it", "dependsOn", List.of("build"), "continueFrom", "build"))));

        assertThat(result.isError()).as(result.text()).isFalse();
        UUID workflowId = result.firstId();
        assertThat(result.text()).startsWith("Workflow " + workflowId + " ('release') created with 2 tasks:")
                .containsPattern("\n- build: [0-9a-f-]{36} QUEUED\n- test: [0-9a-f-]{36} WAITING\n");
        client().get("/api/v1/workflows/" + workflowId).then().statusCode(200)
                .body("tasks.ref", equalTo(List.of("build", "test")));
    }

    @Test
    void theSameIdempotencyKeyReturnsTheFirstTaskInsteadOfASecond() {
        Map<String, String> arguments = Map.of("prompt", "Once only", "idempotencyKey", UUID.randomUUID().toString());

        UUID first = mcp.callTool("DelegateTask", arguments).firstId();
        ToolResult again = mcp.callTool("DelegateTask", arguments);

        assertThat(again.isError()).isFalse();
        assertThat(again.text()).startsWith("This idempotencyKey was used before: no new task. Task " + first + ": QUEUED");
        assertThat(Fixtures.queryString("select count(*) from tasks where prompt = 'Once only'")).isEqualTo("1");
    }

    @Test
    void listTasksFiltersByStatusAndPool() {
        UUID running = Fixtures.insertTask(TaskStatus.RUNNING, "mcp-list", Instant.now());
        Fixtures.insertTask(TaskStatus.QUEUED, "mcp-list", Instant.now());

        ToolResult result = mcp.callTool("ListTasks", Map.of("status", List.of("RUNNING"), "pool", "mcp-list"));

        assertThat(result.text()).isEqualTo(running + "  RUNNING  P2  pool mcp-list  inserted by a test\nThat is all.");
    }

    @Test
    void taskLogsShowTheLastLinesThenTheLinesAfterACursor() {
        UUID task = Fixtures.insertTask(TaskStatus.RUNNING);
        for (int line = 1; line <= 5; line++) {
            Fixtures.insertLog(task, line, LogKind.ASSISTANT, "line " + line);
        }

        ToolResult tail = mcp.callTool("TaskLogs", Map.of("taskId", task.toString(), "tail", 2));
        long cursor = Long.parseLong(tail.text().replaceAll("(?s).*after=(\\d+)\\.$", "$1"));
        long sixth = Fixtures.insertLog(task, 6, LogKind.TOOL_USE, "Bash: ls");
        ToolResult after = mcp.callTool("TaskLogs", Map.of("taskId", task.toString(), "after", cursor));

        assertThat(tail.text()).isEqualTo("Task " + task + " is RUNNING; 2 lines:\n[ASSISTANT] line 4\n[ASSISTANT] line 5\n"
                + "For newer lines, call TaskLogs with after=" + cursor + ".");
        assertThat(after.text()).isEqualTo("Task " + task + " is RUNNING; 1 line:\n[TOOL_USE] Bash: ls\n"
                + "For newer lines, call TaskLogs with after=" + sixth + ".");
    }

    @Test
    void aCancelledTaskCanBeRetriedButNotResumedWithoutASession() {
        UUID task = mcp.callTool("DelegateTask", Map.of("prompt", "Refactor the parser")).firstId();

        ToolResult cancelled = mcp.callTool("CancelTask", Map.of("taskId", task.toString()));
        ToolResult again = mcp.callTool("CancelTask", Map.of("taskId", task.toString()));
        ToolResult retried = mcp.callTool("RetryTask", Map.of("taskId", task.toString(), "additionalContext", "Keep the API."));
        ToolResult resumed = mcp.callTool("ResumeTask", Map.of("taskId", task.toString()));

        assertThat(cancelled.text()).startsWith("Task " + task + " is CANCELLED");
        assertThat(again.isError()).isTrue();
        assertThat(again.text()).startsWith("The task has already finished: Task " + task + " already finished as CANCELLED");
        assertThat(retried.isError()).as(retried.text()).isFalse();
        UUID retry = retried.firstId();
        assertThat(retried.text()).startsWith("Retry task " + retry + " queued");
        client().get("/api/v1/tasks/" + retry).then().statusCode(200)
                .body("retryOf", is(task.toString()))
                .body("prompt", is("Refactor the parser\n\nKeep the API."));
        assertThat(resumed.isError()).isTrue();
        assertThat(resumed.text()).startsWith("The task cannot be resumed:");
    }

    @Test
    void aScheduleCanBeCreatedPausedResumedAndCancelled() {
        ToolResult created = mcp.callTool("ScheduleTask", Map.of("name", "morning-report", "cron", "0 9 * * *",
                "timezone", "Europe/Berlin", "task", Map.of("prompt", "Write the morning report", "priority", "P1")));

        assertThat(created.isError()).as(created.text()).isFalse();
        UUID id = created.firstId();
        assertThat(created.text()).startsWith("Schedule " + id + " created. 'morning-report' is ACTIVE: cron '0 9 * * *' in Europe/Berlin. Next fire times: ");
        assertThat(mcp.callTool("GetSchedule", Map.of("scheduleId", id.toString())).text())
                .containsPattern("Next fire times: (\\S+T0[78]:00:00Z, ){4}\\S+T0[78]:00:00Z\\.")
                .contains("Task template: P1, pool default, prompt: Write the morning report");

        assertThat(mcp.callTool("PauseSchedule", Map.of("scheduleId", id.toString())).text()).contains("is PAUSED");
        client().get("/api/v1/schedules/" + id).then().body("status", is("PAUSED"));
        assertThat(mcp.callTool("ResumeSchedule", Map.of("scheduleId", id.toString())).text()).contains("is ACTIVE");
        client().get("/api/v1/schedules/" + id).then().body("status", is("ACTIVE"));
        assertThat(mcp.callTool("CancelSchedule", Map.of("scheduleId", id.toString())).text()).contains("is CANCELLED");
        client().get("/api/v1/schedules/" + id).then().body("status", is("CANCELLED"));
        assertThat(mcp.callTool("ListSchedules", Map.of()).text()).contains(id + "  'morning-report'  CANCELLED");

        ToolResult pausedAgain = mcp.callTool("PauseSchedule", Map.of("scheduleId", id.toString()));
        assertThat(pausedAgain.isError()).isTrue();
        assertThat(pausedAgain.text()).contains("is CANCELLED; only an ACTIVE schedule can be paused.");
    }

    @Test
    void anInvalidScheduleIsAToolErrorNamingEachField() {
        ToolResult result = mcp.callTool("ScheduleTask", Map.of("name", "broken", "cron", "61 * * * *",
                "timezone", "Mars/Olympus", "task", Map.of("prompt", "")));

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).startsWith("The schedule is invalid: Fix ")
                .contains("- cron: ").contains("- timezone: must be an IANA time zone").contains("- task.prompt: must not be blank");
    }

    @Test
    void aWorkflowCanBeScheduledAndABadOneIsAToolErrorNamingItsField() {
        ToolResult created = mcp.callTool("ScheduleTask", Map.of("name", "nightly-dag", "cron", "0 2 * * *",
                "workflow", Map.of("name", "nightly", "tasks", List.of(Map.of("ref", "build", "prompt", "Build it"),
                        Map.of("ref", "test", "prompt", "Test it", "dependsOn", List.of("build"))))));

        assertThat(created.isError()).as(created.text()).isFalse();
        assertThat(mcp.callTool("GetSchedule", Map.of("scheduleId", created.firstId().toString())).text())
                .contains("Workflow template: 2 tasks (build, test)");

        ToolResult cyclic = mcp.callTool("ScheduleTask", Map.of("name", "cyclic-dag", "cron", "0 2 * * *",
                "workflow", Map.of("tasks", List.of(Map.of("ref", "a", "prompt", "A", "dependsOn", List.of("b")),
                        Map.of("ref", "b", "prompt", " ", "dependsOn", List.of("a"))))));
        assertThat(cyclic.isError()).isTrue();
        assertThat(cyclic.text()).contains("- workflow.tasks: the dependencies form a cycle").contains("- workflow.tasks[1].prompt: ");
    }

    @Test
    void sessionCheckInBindsTheConnectionSoWhatItDelegatesRecordsTheSessionAndLaterCheckInsReportChanges() {
        String session = UUID.randomUUID().toString();
        ToolResult first = mcp.callTool("SessionCheckIn", Map.of("sessionId", session, "hookEventName", "UserPromptSubmit"));
        assertThat(first.isError()).as(first.text()).isFalse();
        assertThat(first.text()).as("nothing to compare with on the first check-in").isEqualTo("{}");

        UUID delegated = mcp.callTool("DelegateTask", Map.of("prompt", "Delegated by a checked-in session")).firstId();
        UUID workflowTask = UUID.fromString(mcp.callTool("SubmitWorkflow", Map.of("tasks", List.of(
                Map.of("ref", "only", "prompt", "A workflow of the checked-in session")))).text()
                .replaceAll("(?s).*- only: (\\S+) .*", "$1"));
        client().get("/api/v1/tasks/" + delegated).then().body("submittedBySession", is(session));
        client().get("/api/v1/tasks/" + workflowTask).then().body("submittedBySession", is(session));
        assertThat(mcp.callTool("ListTasks", Map.of("onlyThisSession", true)).text())
                .contains(delegated.toString()).contains(workflowTask.toString());
        // Another connection that never checked in records no session, and cannot list "its" tasks.
        McpClient stranger = McpClient.connect();
        UUID anonymous = stranger.callTool("DelegateTask", Map.of("prompt", "From an unbound connection")).firstId();
        client().get("/api/v1/tasks/" + anonymous).then().body("submittedBySession", equalTo(null));
        ToolResult unbound = stranger.callTool("ListTasks", Map.of("onlyThisSession", true));
        assertThat(unbound.isError()).isTrue();
        assertThat(unbound.text()).contains("onlyThisSession").contains("SessionCheckIn");

        Fixtures.update("update tasks set status = 'FAILED', status_reason = 'exit code 2', finished_at = now(), "
                + "updated_at = now() where id = ?", delegated);
        ToolResult second = mcp.callTool("SessionCheckIn", Map.of("sessionId", session, "hookEventName", "UserPromptSubmit"));
        assertThat(second.isError()).as(second.text()).isFalse();
        assertThat(second.text()).contains("\"hookEventName\":\"UserPromptSubmit\"")
                .contains(delegated + " FAILED ").contains("exit code 2").doesNotContain(workflowTask.toString());
        assertThat(mcp.callTool("SessionCheckIn", Map.of("sessionId", session)).text())
                .as("nothing changed since the previous check-in").isEqualTo("{}");
    }

    @Test
    void aSessionHeaderOnTheMcpRequestWinsAndABadSessionIdIsAToolError() {
        String named = UUID.randomUUID().toString();
        String body = """
                {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "DelegateTask",
                 "arguments": {"prompt": "Named by header"}}}""";
        McpClient.request(mcp.connection()).header("X-Claude-Session-Id", named).body(body).post(McpClient.PATH)
                .then().statusCode(200);
        String id = Fixtures.queryString("select id from tasks where submitted_by_session = ?", named);
        assertThat(id).as("the task the header named a session for").isNotNull();

        ToolResult refused = mcp.callTool("SessionCheckIn", Map.of("sessionId", "$(rm -rf /)"));
        assertThat(refused.isError()).isTrue();
        assertThat(refused.text()).contains("sessionId");
    }
}
