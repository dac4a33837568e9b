package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskDependenciesIT {

    @Test
    void aTaskDependingOnAQueuedTaskWaitsWithOneUnmetDependency() {
        UUID upstream = Fixtures.submit("{\"prompt\": \"first\"}");

        String id = client().body("{\"prompt\": \"second\", \"dependsOn\": [\"" + upstream + "\"]}")
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .body("status", is("WAITING"))
                .body("unmetDependencies", is(1))
                .body("dependsOn", contains(upstream.toString()))
                .body("readyAt", nullValue())
                .extract().path("id");

        assertThat(TestDatabase.count("select count(*) from task_dependencies where task_id = ?::uuid and depends_on = ?",
                id, upstream)).isEqualTo(1);
    }

    @Test
    void aTaskDependingOnlyOnSucceededTasksIsQueuedAtOnce() {
        UUID done = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        UUID alsoDone = Fixtures.insertTask(TaskStatus.SUCCEEDED);

        client().body("{\"prompt\": \"after\", \"dependsOn\": [\"" + done + "\", \"" + alsoDone + "\"]}")
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .body("status", is("QUEUED"))
                .body("unmetDependencies", is(0))
                .body("readyAt", notNullValue())
                .body("dependsOn", containsInAnyOrder(done.toString(), alsoDone.toString()));
    }

    @Test
    void aTaskDependingOnASucceededAndARunningTaskWaitsForTheRunningOne() {
        UUID done = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        UUID running = Fixtures.insertTask(TaskStatus.RUNNING);

        client().body("{\"prompt\": \"after\", \"dependsOn\": [\"" + done + "\", \"" + running + "\"]}")
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .body("status", is("WAITING"))
                .body("unmetDependencies", is(1));
    }

    @Test
    void aTaskDependingOnAFailedTaskEndsUpstreamFailedNamingIt() {
        UUID failed = Fixtures.insertTask(TaskStatus.FAILED);
        UUID queued = Fixtures.insertTask(TaskStatus.QUEUED);

        String id = client().body("{\"prompt\": \"doomed\", \"dependsOn\": [\"" + queued + "\", \"" + failed + "\"]}")
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .body("status", is("UPSTREAM_FAILED"))
                .body("statusReason", allOf(containsString(failed.toString()), containsString("FAILED")))
                .body("finishedAt", notNullValue())
                .extract().path("id");

        // The edges are kept, so the graph still shows why it never ran.
        assertThat(TestDatabase.count("select count(*) from task_dependencies where task_id = ?::uuid", id)).isEqualTo(2);
        // notifier-service hears of the ending through the outbox, like any other.
        assertThat(TestDatabase.count("select count(*) from outbox where record_key = ? and payload like '%UPSTREAM_FAILED%'", id))
                .isEqualTo(1);
    }

    @Test
    void aTaskDependingOnACancelledTaskEndsUpstreamFailed() {
        UUID cancelled = Fixtures.insertTask(TaskStatus.CANCELLED);

        client().body("{\"prompt\": \"doomed\", \"dependsOn\": [\"" + cancelled + "\"]}")
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .body("status", is("UPSTREAM_FAILED"))
                .body("statusReason", containsString("ended CANCELLED"));
    }
}
