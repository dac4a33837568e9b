package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskLogsIT {

    @Test
    void logLinesArePagedInOrderByTheirCursor() {
        UUID task = Fixtures.insertTask(TaskStatus.RUNNING);
        long[] ids = new long[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = Fixtures.insertLog(task, i + 1, LogKind.ASSISTANT, "line " + (i + 1));
        }

        JsonPath first = page(task, null, 2);
        assertThat(first.getList("items.text", String.class)).containsExactly("line 1", "line 2");
        assertThat(first.getLong("nextCursor")).isEqualTo(ids[1]);
        assertThat(first.getString("taskStatus")).isEqualTo("RUNNING");
        assertThat(first.getBoolean("complete")).isFalse();
        assertThat(first.getString("items[0].kind")).isEqualTo("ASSISTANT");
        assertThat(first.getInt("items[0].attempt")).isEqualTo(1);
        assertThat(first.getLong("items[0].lineNumber")).isEqualTo(1);
        assertThat(first.getString("items[0].at")).isNotBlank();

        JsonPath second = page(task, first.getLong("nextCursor"), 2);
        assertThat(second.getList("items.text", String.class)).containsExactly("line 3", "line 4");

        JsonPath last = page(task, second.getLong("nextCursor"), 2);
        assertThat(last.getList("items.text", String.class)).containsExactly("line 5");
        assertThat(last.getBoolean("complete")).as("the task is still running").isFalse();
    }

    @Test
    void theLogIsCompleteOnceTheTaskFinishedAndEveryLineWasRead() {
        UUID task = Fixtures.insertTask(TaskStatus.RUNNING);
        Fixtures.insertLog(task, 1, LogKind.ASSISTANT, "working");
        long last = Fixtures.insertLog(task, 2, LogKind.RESULT, "done");
        Fixtures.setStatus(task, TaskStatus.SUCCEEDED);

        JsonPath first = page(task, null, 1);
        assertThat(first.getBoolean("complete")).as("a line is left").isFalse();
        JsonPath second = page(task, first.getLong("nextCursor"), 1);
        assertThat(second.getList("items.text", String.class)).containsExactly("done");
        assertThat(second.getBoolean("complete")).isTrue();

        client().queryParam("after", last).get("/api/v1/tasks/" + task + "/logs")
                .then().statusCode(200)
                .body("items", empty())
                .body("nextCursor", is((int) last))
                .body("taskStatus", is("SUCCEEDED"))
                .body("complete", is(true));
    }

    @Test
    void aTaskWhoseLinesRetentionDeletedSaysWhenBothOnItsLogAndItsView() {
        UUID task = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        Fixtures.update("update tasks set finished_at = now() - interval '40 days', "
                + "logs_deleted_at = timestamptz '2026-11-30T04:00:00Z' where id = ?", task);

        client().get("/api/v1/tasks/" + task + "/logs")
                .then().statusCode(200)
                .body("items", empty())
                .body("complete", is(true))
                .body("logsDeletedAt", is("2026-11-30T04:00:00Z"));
        client().get("/api/v1/tasks/" + task)
                .then().statusCode(200)
                .body("logsDeletedAt", is("2026-11-30T04:00:00Z"));
    }

    @Test
    void linesOfOtherTasksAreNotShown() {
        UUID task = Fixtures.insertTask(TaskStatus.RUNNING);
        UUID other = Fixtures.insertTask(TaskStatus.RUNNING);
        Fixtures.insertLog(other, 1, LogKind.ASSISTANT, "not mine");
        Fixtures.insertLog(task, 1, LogKind.ASSISTANT, "mine");

        client().get("/api/v1/tasks/" + task + "/logs")
                .then().statusCode(200)
                .body("items.text", contains("mine"));
    }

    @Test
    void theLogOfAnUnknownTaskIsNotFound() {
        client().get("/api/v1/tasks/" + UUID.randomUUID() + "/logs")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", is("https://taskq.dev/problems/task-not-found"));
    }

    @Test
    void aCursorThatIsNoLineIdIsABadRequest() {
        UUID task = Fixtures.insertTask(TaskStatus.RUNNING);
        for (String after : new String[] {"-1", "abc"}) {
            client().queryParam("after", after).get("/api/v1/tasks/" + task + "/logs")
                    .then().statusCode(400)
                    .body("errors[0].field", is("after"));
        }
    }

    private static JsonPath page(UUID task, Long after, int limit) {
        var request = client().queryParam("limit", limit);
        if (after != null) {
            request.queryParam("after", after);
        }
        return request.get("/api/v1/tasks/" + task + "/logs").then().statusCode(200).extract().jsonPath();
    }
}
