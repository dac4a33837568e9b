package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rejected submission answers with a problem naming the field, and writes nothing. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SubmissionValidationIT {

    private static final String PROBLEM_JSON = "application/problem+json";

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            an empty prompt                 | prompt         | must not be blank      | {"prompt": ""}
            a blank prompt                  | prompt         | must not be blank      | {"prompt": "   "}
            a missing prompt                | prompt         | must not be blank      | {"priority": 5}
            a negative timeout              | timeoutSeconds | at least 1 second      | {"prompt": "p", "timeoutSeconds": -5}
            a zero timeout                  | timeoutSeconds | at least 1 second      | {"prompt": "p", "timeoutSeconds": 0}
            a timeout above the maximum     | timeoutSeconds | at most 86400          | {"prompt": "p", "timeoutSeconds": 86401}
            a priority class beyond P3      | priority       | P9                     | {"prompt": "p", "priority": "P9"}
            a priority of 0                 | priority       | 1 (lowest) to 10       | {"prompt": "p", "priority": 0}
            a priority of 11                | priority       | 1 (lowest) to 10       | {"prompt": "p", "priority": 11}
            a pool name with capitals       | pool           | a-z 0-9                | {"prompt": "p", "pool": "GPU"}
            a pool name starting with a dot | pool           | starting with          | {"prompt": "p", "pool": ".gpu"}
            a model with a space            | model          | letters, digits        | {"prompt": "p", "model": "claude sonnet"}
            maxTurns above 1000             | maxTurns       | 1 to 1000              | {"prompt": "p", "maxTurns": 1001}
            a dependency that is no UUID    | dependsOn[0]   | must be a UUID         | {"prompt": "p", "dependsOn": ["not-a-uuid"]}
            a null dependency               | dependsOn[0]   | must not be null       | {"prompt": "p", "dependsOn": [null]}
            more than 100 dependencies      | dependsOn      | at most 100            | {"prompt": "p", "dependsOn": [%2$s]}
            a string for timeoutSeconds     | timeoutSeconds | whole number           | {"prompt": "p", "timeoutSeconds": "soon"}
            an object for prompt            | prompt         | must be a string       | {"prompt": {"text": "p"}}
            a number for prompt             | prompt         | must be a string       | {"prompt": 5}
            a boolean for prompt            | prompt         | must be a string       | {"prompt": true}
            a number too large for an int   | timeoutSeconds | out of range           | {"prompt": "p", "timeoutSeconds": 99999999999}
            an unknown field                | dependencies   | not a known field      | {"prompt": "p", "dependencies": []}
            a prompt with a NUL character   | prompt         | NUL                    | {"prompt": "a\\u0000b"}
            a metadata value that is null   | metadata[team] | value must be a string | {"prompt": "p", "metadata": {"team": null}}
            a metadata value too long       | metadata[team] | at most 2000           | {"prompt": "p", "metadata": {"team": "%1$s"}}
            a metadata value with NUL       | metadata       | NUL                    | {"prompt": "p", "metadata": {"team": "a\\u0000b"}}
            an unknown failure policy       | onDependencyFailure | fail, skip or run | {"prompt": "p", "onDependencyFailure": "ignore"}
            an empty concurrency key        | concurrencyKey | 1 to 200               | {"prompt": "p", "concurrencyKey": ""}
            a concurrency key too long      | concurrencyKey | 1 to 200               | {"prompt": "p", "concurrencyKey": "%3$s"}
            a concurrency key with NUL      | concurrencyKey | printable              | {"prompt": "p", "concurrencyKey": "a\\u0000b"}
            a continueFrom that is no UUID  | continueFrom   | must be a UUID         | {"prompt": "p", "continueFrom": "build"}
            more than 20 attempts           | retry.maxAttempts | from 1 to 20        | {"prompt": "p", "retry": {"maxAttempts": 21}}
            no attempt at all               | retry.maxAttempts | from 1 to 20        | {"prompt": "p", "retry": {"maxAttempts": 0}}
            a negative first backoff        | retry.initialBackoffSeconds | from 0 to 3600 | {"prompt": "p", "retry": {"initialBackoffSeconds": -1}}
            a first backoff over an hour    | retry.initialBackoffSeconds | from 0 to 3600 | {"prompt": "p", "retry": {"initialBackoffSeconds": 3601}}
            a backoff cap below the first   | retry.maxBackoffSeconds | at least initialBackoffSeconds | {"prompt": "p", "retry": {"initialBackoffSeconds": 60, "maxBackoffSeconds": 30}}
            a backoff cap over a day        | retry.maxBackoffSeconds | at most 86400 | {"prompt": "p", "retry": {"maxBackoffSeconds": 86401}}
            an unknown retry setting        | retry.attempts | not a known field      | {"prompt": "p", "retry": {"attempts": 3}}
            a retry that is no object       | retry          | an object              | {"prompt": "p", "retry": 3}
            a budget of zero                | maxBudgetUsd   | more than 0            | {"prompt": "p", "maxBudgetUsd": 0}
            a negative budget               | maxBudgetUsd   | more than 0            | {"prompt": "p", "maxBudgetUsd": -1.5}
            a budget above 10000 dollars    | maxBudgetUsd   | at most 10000          | {"prompt": "p", "maxBudgetUsd": 10000.01}
            a budget finer than 4 decimals  | maxBudgetUsd   | 4 decimal places       | {"prompt": "p", "maxBudgetUsd": 0.00001}
            a budget that is no number      | maxBudgetUsd   | must be a number       | {"prompt": "p", "maxBudgetUsd": "lots"}
            a blank allowed tool            | allowedTools[1] | must not be blank     | {"prompt": "p", "allowedTools": ["Edit", " "]}
            an allowed tool with a newline  | allowedTools[0] | control characters    | {"prompt": "p", "allowedTools": ["Bash(git:*)\\nEdit"]}
            an allowed tool too long        | allowedTools[0] | at most 500           | {"prompt": "p", "allowedTools": ["%4$s"]}
            more than 100 allowed tools     | allowedTools   | at most 100            | {"prompt": "p", "allowedTools": [%5$s]}
            a null disallowed tool          | disallowedTools[0] | must not be blank  | {"prompt": "p", "disallowedTools": [null]}
            a disallowed tool with NUL      | disallowedTools[0] | control characters | {"prompt": "p", "disallowedTools": ["a\\u0000b"]}
            more than 100 disallowed tools  | disallowedTools | at most 100           | {"prompt": "p", "disallowedTools": [%5$s]}
            an empty appended system prompt | appendSystemPrompt | 1 to 20000         | {"prompt": "p", "appendSystemPrompt": ""}
            a system prompt too long        | appendSystemPrompt | 1 to 20000         | {"prompt": "p", "appendSystemPrompt": "%6$s"}
            a system prompt with NUL        | appendSystemPrompt | NUL                | {"prompt": "p", "appendSystemPrompt": "a\\u0000b"}
            an unknown permission mode      | permissionMode | must be one of         | {"prompt": "p", "permissionMode": "yolo"}
            a permission mode as a flag     | permissionMode | must be one of         | {"prompt": "p", "permissionMode": "--dangerously-skip-permissions"}
            """)
    void anInvalidFieldIsRejectedWithAProblemNamingItAndNothingIsWritten(String what, String field, String message, String body) {
        String manyIds = Stream.generate(() -> "\"" + UUID.randomUUID() + "\"").limit(101).collect(Collectors.joining(","));
        String manyTools = Stream.generate(() -> "\"Edit\"").limit(101).collect(Collectors.joining(","));
        assertRejectedWithoutWrites(body.formatted("x".repeat(2001), manyIds, "k".repeat(201), "t".repeat(501), manyTools,
                "s".repeat(20_001)), 400, field)
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
    }

    @Test
    void aPromptLongerThanTheLimitIsRejected() {
        String prompt = "x".repeat(100_001);
        assertRejectedWithoutWrites("{\"prompt\": \"" + prompt + "\"}", 400, "prompt")
                .body("errors[0].message", containsString("at most 100000"));
    }

    @Test
    void tooManyMetadataEntriesAreRejected() {
        StringBuilder metadata = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            metadata.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
        }
        assertRejectedWithoutWrites("{\"prompt\": \"p\", \"metadata\": {" + metadata + "}}", 400, "metadata");
    }

    @Test
    void aDuplicateDependencyIsRejectedNamingTheRepeat() {
        UUID dependency = Fixtures.insertTask(TaskStatus.QUEUED);
        assertRejectedWithoutWrites("{\"prompt\": \"p\", \"dependsOn\": [\"" + dependency + "\", \"" + dependency + "\"]}",
                400, "dependsOn[1]");
    }

    @Test
    void anUnknownDependencyIsUnprocessableAndNamed() {
        UUID known = Fixtures.insertTask(TaskStatus.QUEUED);
        UUID unknown = UUID.randomUUID();
        long tasksBefore = TestDatabase.count("tasks");
        long edgesBefore = TestDatabase.count("task_dependencies");

        client().body("{\"prompt\": \"p\", \"dependsOn\": [\"" + known + "\", \"" + unknown + "\"]}")
                .post("/api/v1/tasks")
                .then()
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/unknown-dependency"))
                .body("status", is(422))
                .body("detail", containsString(unknown.toString()))
                .body("detail", org.hamcrest.Matchers.not(containsString(known.toString())));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
        assertThat(TestDatabase.count("task_dependencies")).isEqualTo(edgesBefore);
    }

    @Test
    void everyInvalidFieldIsNamedInOneAnswer() {
        assertRejectedWithoutWrites("{\"prompt\": \"p\", \"priority\": \"P9\", \"workingDir\": \"rel\", \"timeoutSeconds\": 100000}",
                400, "priority")
                .body("errors.field", hasItem("workingDir"))
                .body("errors.field", hasItem("timeoutSeconds"));
    }

    @Test
    void everyInvalidNewSettingIsNamedInOneAnswer() {
        assertRejectedWithoutWrites("""
                {"prompt": "p", "onDependencyFailure": "later", "concurrencyKey": "", "retry": {"maxAttempts": 99, "initialBackoffSeconds": -5}}""",
                400, "onDependencyFailure")
                .body("errors.field", hasItem("concurrencyKey"))
                .body("errors.field", hasItem("retry.maxAttempts"))
                .body("errors.field", hasItem("retry.initialBackoffSeconds"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"prompt\": \"p\",", "{\"prompt\": \"p\"", "{prompt: p}", "not json at all", "[1, 2"})
    void malformedOrTruncatedJsonIsABadRequest(String body) {
        long before = TestDatabase.count("tasks");
        client().body(body).post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/malformed-json"))
                .body("title", notNullValue())
                .body("detail", containsString("JSON"))
                .body("instance", is("/api/v1/tasks"));
        assertThat(TestDatabase.count("tasks")).isEqualTo(before);
    }

    @Test
    void aJsonArrayInsteadOfAnObjectIsABadRequest() {
        client().body("[]").post("/api/v1/tasks")
                .then().statusCode(400).contentType(PROBLEM_JSON);
    }

    @Test
    void anEmptyBodyIsRejectedAsMissing() {
        client().post("/api/v1/tasks")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", is("body"));
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
        long before = TestDatabase.count("tasks");
        client().contentType("text/plain").body("prompt=hello").post("/api/v1/tasks")
                .then()
                .statusCode(415)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/unsupported-media-type"))
                .body("detail", containsString("application/json"));
        assertThat(TestDatabase.count("tasks")).isEqualTo(before);
    }

    private static ValidatableResponse assertRejectedWithoutWrites(String body, int status, String field) {
        long tasksBefore = TestDatabase.count("tasks");
        long edgesBefore = TestDatabase.count("task_dependencies");
        ValidatableResponse response = client().body(body).post("/api/v1/tasks")
                .then()
                .statusCode(status)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/validation"))
                .body("title", notNullValue())
                .body("status", is(status))
                .body("detail", containsString(field))
                .body("instance", is("/api/v1/tasks"))
                .body("errors.field", hasItem(field));
        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
        assertThat(TestDatabase.count("task_dependencies")).isEqualTo(edgesBefore);
        return response;
    }
}
