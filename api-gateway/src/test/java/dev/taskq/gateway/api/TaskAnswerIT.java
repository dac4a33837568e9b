package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POST /api/v1/tasks/{id}/answer: a session's question to a human, answered, queues the task to resume that session. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskAnswerIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String QUESTION = "Which database should the migration target: staging or production?";

    @Test
    void aWaitingTaskShowsItsQuestionInItsViewAndInTheList() {
        UUID task = waitingForInput("answer-list");

        client().get("/api/v1/tasks/" + task).then().statusCode(200)
                .body("status", is("WAITING_FOR_INPUT"))
                .body("statusReason", is("waiting for an answer to: " + QUESTION))
                .body("question.text", is(QUESTION))
                .body("question.attempt", is(1))
                .body("question.askedAt", notNullValue())
                .body("questions", hasSize(1))
                .body("questions[0].question", is(QUESTION))
                .body("questions[0].answer", nullValue());

        client().queryParam("status", "WAITING_FOR_INPUT").queryParam("pool", "answer-list").get("/api/v1/tasks")
                .then().statusCode(200)
                .body("items.id", hasItem(task.toString()))
                .body("items.find { it.id == '" + task + "' }.question.text", is(QUESTION))
                .body("items.find { it.id == '" + task + "' }.question.attempt", is(1));
    }

    @Test
    void anAnswerQueuesTheTaskToResumeItsSessionAndIsRecordedWithTheQuestion() {
        UUID task = waitingForInput("default");
        String session = Fixtures.queryString("select session_id::text from tasks where id = ?", task);
        Instant before = Instant.now();

        client().body("{\"answer\": \"staging, and stop before dropping anything\"}")
                .post("/api/v1/tasks/" + task + "/answer")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("id", is(task.toString()))
                .body("status", is("QUEUED"))
                .body("statusReason", is("answered; resuming session " + session))
                .body("question", nullValue())
                .body("resumeSessionId", is(session))
                .body("questions[0].answer", is("staging, and stop before dropping anything"))
                .body("questions[0].answeredAt", notNullValue());

        assertThat(Fixtures.queryString("select status from tasks where id = ?", task)).isEqualTo("QUEUED");
        assertThat(Fixtures.queryString("select resume_prompt from tasks where id = ?", task))
                .contains("<question>\n" + QUESTION + "\n</question>")
                .contains("<answer>\nstaging, and stop before dropping anything\n</answer>");
        assertThat(Fixtures.queryString("select answer from task_questions where task_id = ? and attempt = 1", task))
                .isEqualTo("staging, and stop before dropping anything");
        assertThat(Fixtures.queryString("select answered_at >= ? from task_questions where task_id = ?",
                java.sql.Timestamp.from(before.minusSeconds(1)), task)).isEqualTo("t");
    }

    @Test
    void aSecondAnswerIsAConflictNamingTheStatus() {
        UUID task = waitingForInput("default");
        client().body("{\"answer\": \"staging\"}").post("/api/v1/tasks/" + task + "/answer").then().statusCode(200);

        client().body("{\"answer\": \"production\"}").post("/api/v1/tasks/" + task + "/answer")
                .then()
                .statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/task-not-waiting-for-input"))
                .body("title", is("The task is not waiting for an answer"))
                .body("detail", containsString("is QUEUED, not WAITING_FOR_INPUT"));
        assertThat(Fixtures.queryString("select answer from task_questions where task_id = ?", task)).isEqualTo("staging");
    }

    @Test
    void aTaskThatAskedNothingCannotBeAnswered() {
        UUID running = Fixtures.insertTask(TaskStatus.QUEUED);
        Fixtures.makeRunning(running, "worker-a");

        client().body("{\"answer\": \"yes\"}").post("/api/v1/tasks/" + running + "/answer")
                .then().statusCode(409).contentType(PROBLEM_JSON)
                .body("detail", containsString("is RUNNING"));
        assertThat(Fixtures.queryString("select status from tasks where id = ?", running)).isEqualTo("RUNNING");
    }

    @Test
    void anUnknownTaskIsNotFound() {
        UUID unknown = UUID.randomUUID();
        client().body("{\"answer\": \"yes\"}").post("/api/v1/tasks/" + unknown + "/answer")
                .then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/task-not-found"))
                .body("detail", containsString(unknown.toString()));
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            an empty answer          | answer | is required              | {"answer": ""}
            a blank answer           | answer | not blank                | {"answer": "  \\n "}
            a missing answer         | answer | is required              | {}
            a null answer            | answer | is required              | {"answer": null}
            an answer too long       | answer | at most 32000 characters | {"answer": "%s"}
            an answer with NUL       | answer | NUL                      | {"answer": "a\\u0000b"}
            an answer that is no text | answer | must be a string        | {"answer": {"text": "yes"}}
            an unknown field         | text   | not a known field        | {"answer": "yes", "text": "yes"}
            """)
    void anInvalidAnswerIsRejectedNamingTheFieldAndChangesNothing(String what, String field, String message, String body) {
        UUID task = waitingForInput("default");

        client().body(body.formatted("x".repeat(32_001))).post("/api/v1/tasks/" + task + "/answer")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/validation"))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));

        assertThat(Fixtures.queryString("select status from tasks where id = ?", task)).isEqualTo("WAITING_FOR_INPUT");
        assertThat(Fixtures.queryString("select count(*) from task_questions where task_id = ? and answer is null", task))
                .isEqualTo("1");
    }

    @Test
    void anAnswerOfExactlyTheLimitIsAccepted() {
        UUID task = waitingForInput("default");
        client().body("{\"answer\": \"" + "y".repeat(32_000) + "\"}").post("/api/v1/tasks/" + task + "/answer")
                .then().statusCode(200).body("status", is("QUEUED"));
    }

    @Test
    void noBodyOrNoTokenIsRefused() {
        UUID task = waitingForInput("default");

        client().post("/api/v1/tasks/" + task + "/answer").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", is("body"));
        given().contentType("application/json").body("{\"answer\": \"yes\"}").post("/api/v1/tasks/" + task + "/answer")
                .then().statusCode(401).contentType(PROBLEM_JSON);
        given().auth().oauth2("wrong").contentType("application/json").body("{\"answer\": \"yes\"}")
                .post("/api/v1/tasks/" + task + "/answer").then().statusCode(401);
        client().get("/api/v1/tasks/" + task + "/answer").then().statusCode(405).header("Allow", containsString("POST"));

        assertThat(Fixtures.queryString("select status from tasks where id = ?", task)).isEqualTo("WAITING_FOR_INPUT");
    }

    private static UUID waitingForInput(String pool) {
        UUID task = Fixtures.insertTask(TaskStatus.QUEUED, pool, Instant.now());
        Fixtures.askQuestion(task, "worker-a", QUESTION);
        return task;
    }
}
