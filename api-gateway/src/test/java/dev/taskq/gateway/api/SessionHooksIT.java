package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The main-session kit over REST: tasks and workflows record the Claude Code session that submitted them, and the hook
 * endpoints answer Claude Code's hook input with a capped summary of that session's tasks.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SessionHooksIT {

    private static final String SESSION_HEADER = "X-Claude-Session-Id";

    @Test
    void aTaskSubmittedWithASessionHeaderRecordsTheSessionAndTheListFiltersByIt() {
        String session = newSession();
        UUID mine = submit(session, "{\"prompt\": \"mine\"}");
        submit(newSession(), "{\"prompt\": \"someone else's\"}");
        UUID anonymous = Fixtures.submit("{\"prompt\": \"nobody's\"}");

        client().get("/api/v1/tasks/" + mine).then().statusCode(200).body("submittedBySession", is(session));
        client().get("/api/v1/tasks/" + anonymous).then().statusCode(200).body("submittedBySession", nullValue());
        client().queryParam("submittedBySession", session).get("/api/v1/tasks").then().statusCode(200)
                .body("items.id", contains(mine.toString()))
                .body("items.submittedBySession", everyItem(is(session)));
    }

    @Test
    void aWorkflowSubmittedWithASessionHeaderRecordsItOnTheWorkflowAndEachTask() {
        String session = newSession();
        JsonPath workflow = client().header(SESSION_HEADER, session)
                .body("{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"a\"}, {\"ref\": \"b\", \"prompt\": \"b\", \"dependsOn\": [\"a\"]}]}")
                .post("/api/v1/workflows").then().statusCode(201)
                .body("submittedBySession", is(session))
                .extract().jsonPath();
        for (String id : workflow.getList("tasks.id", String.class)) {
            client().get("/api/v1/tasks/" + id).then().statusCode(200).body("submittedBySession", is(session));
        }
    }

    @Test
    void aRetryOrResumeRecordsTheSessionAskingForItOrElseTheOriginalsSession() {
        String session = newSession();
        UUID failed = submit(session, "{\"prompt\": \"flaky\"}");
        Fixtures.setStatus(failed, TaskStatus.FAILED);
        client().post("/api/v1/tasks/" + failed + "/retry").then().statusCode(201)
                .body("task.submittedBySession", is(session));

        String asking = newSession();
        UUID ended = submit(session, "{\"prompt\": \"ran once\"}");
        Fixtures.makeRunning(ended, "w-hooks");
        Fixtures.setStatus(ended, TaskStatus.SUCCEEDED);
        client().header(SESSION_HEADER, asking).post("/api/v1/tasks/" + ended + "/resume").then().statusCode(201)
                .body("submittedBySession", is(asking))
                .body("parentTaskId", is(ended.toString()));
    }

    @Test
    void aMalformedSessionHeaderOrFilterIsA400NamingItAndNothingIsWritten() {
        String prompt = "refused " + UUID.randomUUID();
        client().header(SESSION_HEADER, "not a session; rm -rf /").body("{\"prompt\": \"" + prompt + "\"}")
                .post("/api/v1/tasks").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains(SESSION_HEADER));
        assertThat(Fixtures.queryString("select count(*) from tasks where prompt = ?", prompt)).isEqualTo("0");
        client().header(SESSION_HEADER, "x".repeat(201)).body("{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"a\"}]}")
                .post("/api/v1/workflows").then().statusCode(400).body("errors.field", contains(SESSION_HEADER));
        client().queryParam("submittedBySession", "a b").get("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", contains("submittedBySession"));
    }

    @Test
    void theHooksRequireTheApiToken() {
        given().contentType("application/json").body(hookInput(newSession(), "SessionStart"))
                .post("/api/v1/hooks/session-start").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("wrong").contentType("application/json").body(hookInput(newSession(), "Stop"))
                .post("/api/v1/hooks/stop").then().statusCode(401);
    }

    @Test
    void hookInputWithoutAValidSessionIdOrAnUnknownBlockModeIsA400NamingTheField() {
        client().body("{\"hook_event_name\": \"SessionStart\"}").post("/api/v1/hooks/session-start").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("session_id"));
        client().body(hookInput("../../etc", "Stop")).post("/api/v1/hooks/stop").then().statusCode(400)
                .body("errors.field", contains("session_id"));
        client().queryParam("block", "always").body(hookInput(newSession(), "Stop")).post("/api/v1/hooks/stop").then()
                .statusCode(400).body("errors.field", contains("block"));
        client().body("{\"session_id\": ").post("/api/v1/hooks/stop").then().statusCode(400);
    }

    @Test
    void sessionStartTellsTheSessionItsOwnTasksAndWhatOtherSessionsDelegatedThatEnded() {
        String session = newSession();
        UUID failed = submit(session, "{\"prompt\": \"Migrate the billing schema\"}");
        Fixtures.update("update tasks set status = 'FAILED', status_reason = 'exit code 3', finished_at = now(), updated_at = now() "
                + "where id = ?", failed);
        UUID waiting = submit(session, "{\"prompt\": \"Pick the staging database\"}");
        Fixtures.askQuestion(waiting, "w-hooks", "Which database should I target?");
        UUID running = submit(session, "{\"prompt\": \"Run the slow suite\"}");
        Fixtures.makeRunning(running, "w-hooks");
        String otherSession = newSession();
        UUID othersDone = submit(otherSession, "{\"prompt\": \"Write the changelog\"}");
        Fixtures.update("update tasks set status = 'SUCCEEDED', result_text = 'Changelog written to CHANGELOG.md', "
                + "finished_at = now(), updated_at = now() where id = ?", othersDone);
        UUID othersRunning = submit(otherSession, "{\"prompt\": \"Still going elsewhere\"}");
        UUID nobodys = Fixtures.insertTask(TaskStatus.FAILED);

        JsonPath answer = client().body(hookInput(session, "SessionStart")).post("/api/v1/hooks/session-start").then()
                .statusCode(200).contentType("application/json")
                .body("hookSpecificOutput.hookEventName", is("SessionStart"))
                .extract().jsonPath();
        String context = answer.getString("hookSpecificOutput.additionalContext");
        String own = context.substring(0, context.indexOf("Tasks other Claude Code sessions delegated"));
        assertThat(own).contains("Tasks this session delegated")
                .contains(failed + " FAILED ").contains("\"Migrate the billing schema\"").contains("(exit code 3)")
                .contains(waiting + " WAITING_FOR_INPUT for ").contains("asks: \"Which database should I target?\"")
                .contains(running + " RUNNING for ");
        // Newest first.
        assertThat(own.indexOf(running.toString())).isLessThan(own.indexOf(waiting.toString()));
        assertThat(own.indexOf(waiting.toString())).isLessThan(own.indexOf(failed.toString()));
        assertThat(context).contains(othersDone + " SUCCEEDED ").contains("result: \"Changelog written to CHANGELOG.md\"")
                .doesNotContain(othersRunning.toString())
                .doesNotContain(nobodys.toString())
                .contains("TaskLogs");
        assertThat(answer.getMap("")).containsOnlyKeys("hookSpecificOutput");
    }

    @Test
    void stopTellsTheUserWhichDelegatedTasksHaveNotFinishedWaitingOnesFirstWithoutBlocking() {
        String session = newSession();
        UUID queued = submit(session, "{\"prompt\": \"Queued work\"}");
        UUID waiting = submit(session, "{\"prompt\": \"Needs an answer\"}");
        Fixtures.askQuestion(waiting, "w-hooks", "Ship it on Friday?");
        UUID done = submit(session, "{\"prompt\": \"Already done\"}");
        Fixtures.setStatus(done, TaskStatus.SUCCEEDED);

        JsonPath answer = client().body(hookInput(session, "Stop")).post("/api/v1/hooks/stop").then().statusCode(200)
                .body("decision", nullValue())
                .body("hookSpecificOutput", nullValue())
                .extract().jsonPath();
        String message = answer.getString("systemMessage");
        assertThat(message).startsWith("taskq: 2 tasks this session delegated have not finished:")
                .contains(queued + " QUEUED for ").contains(waiting + " WAITING_FOR_INPUT for ")
                .contains("asks: \"Ship it on Friday?\"")
                .doesNotContain(done.toString());
        assertThat(message.indexOf(waiting.toString())).isLessThan(message.indexOf(queued.toString()));
    }

    @Test
    void stopWithBlockWaitingKeepsTheSessionGoingWhileATaskWaitsForAnAnswerButOnlyOnce() {
        String session = newSession();
        UUID waiting = submit(session, "{\"prompt\": \"Needs an answer\"}");
        Fixtures.askQuestion(waiting, "w-hooks", "Which region?");

        client().queryParam("block", "waiting").body(hookInput(session, "Stop")).post("/api/v1/hooks/stop").then()
                .statusCode(200)
                .body("decision", is("block"))
                .body("reason", containsString(waiting + " WAITING_FOR_INPUT"))
                .body("reason", containsString("AnswerQuestion"))
                .body("systemMessage", nullValue());
        // Already continuing because a Stop hook blocked: told, not blocked again, so the session cannot loop.
        client().queryParam("block", "waiting")
                .body(Map.of("session_id", session, "hook_event_name", "Stop", "stop_hook_active", true))
                .post("/api/v1/hooks/stop").then().statusCode(200)
                .body("decision", nullValue())
                .body("systemMessage", containsString("Which region?"));
        // A running task alone never blocks.
        String busy = newSession();
        submit(busy, "{\"prompt\": \"Running, no question\"}");
        client().queryParam("block", "waiting").body(hookInput(busy, "Stop")).post("/api/v1/hooks/stop").then()
                .statusCode(200).body("decision", nullValue()).body("systemMessage", containsString("QUEUED"));
    }

    @Test
    void stopAnswersAnEmptyObjectOnceEveryDelegatedTaskFinished() {
        String session = newSession();
        Fixtures.setStatus(submit(session, "{\"prompt\": \"done\"}"), TaskStatus.SUCCEEDED);
        Fixtures.setStatus(submit(session, "{\"prompt\": \"gave up\"}"), TaskStatus.CANCELLED);

        String body = client().body(hookInput(session, "Stop")).post("/api/v1/hooks/stop").then().statusCode(200)
                .extract().asString();
        assertThat(body).isEqualTo("{}");
    }

    @Test
    void summariesAreCappedInTasksPromptHeadsAndCharacters() {
        String session = newSession();
        String longPrompt = "Refactor the module " + "and keep going ".repeat(100);
        for (int i = 0; i < 10; i++) {
            submit(session, "{\"prompt\": \"" + i + " " + longPrompt + "\"}");
        }

        String message = client().body(hookInput(session, "Stop")).post("/api/v1/hooks/stop").then().statusCode(200)
                .extract().jsonPath().getString("systemMessage");
        // taskq.api.hooks.max-tasks is 8: the rest are pointed at, not listed.
        assertThat(message).startsWith("taskq: more than 8 tasks this session delegated have not finished:")
                .contains("… and more: GET /api/v1/tasks?submittedBySession=" + session);
        assertThat(message.lines().filter(line -> line.startsWith("- ") && line.contains(" QUEUED for "))).hasSize(8);
        assertThat(message.lines().filter(line -> line.contains(" QUEUED for ")))
                .allSatisfy(line -> assertThat(line.substring(line.indexOf('"'))).hasSizeLessThanOrEqualTo(80 + 3));
        assertThat(message.length()).isLessThanOrEqualTo(3000);

        String context = client().body(hookInput(session, "SessionStart")).post("/api/v1/hooks/session-start").then()
                .statusCode(200).extract().jsonPath().getString("hookSpecificOutput.additionalContext");
        assertThat(context.length()).isLessThanOrEqualTo(3000);
        assertThat(context.lines().filter(line -> line.contains(" QUEUED for "))).hasSize(8);
    }

    private static UUID submit(String session, String body) {
        return UUID.fromString(client().header(SESSION_HEADER, session).body(body).post("/api/v1/tasks").then()
                .statusCode(201).body("submittedBySession", is(session)).extract().path("id"));
    }

    /** Hook input as Claude Code 2.1.197 writes it (see /work/shared/claude-cli/hook-stdin-payloads.jsonl). */
    private static Map<String, Object> hookInput(String session, String event) {
        return Map.of("session_id", session,
                "transcript_path", "/home/worker/.claude/projects/-workspace-demo/" + session + ".jsonl",
                "cwd", "/workspace/demo",
                "hook_event_name", event,
                "source", "startup",
                "stop_hook_active", false,
                "background_tasks", List.of());
    }

    private static String newSession() {
        return UUID.randomUUID().toString();
    }
}
