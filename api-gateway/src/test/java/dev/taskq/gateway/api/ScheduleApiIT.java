package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ScheduleApiIT {

    private static final String PATH = "/api/v1/schedules";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aNewYorkWeekdayCronScheduleShowsItsNextFiveFireTimesInThatZone() {
        JsonPath created = client().body("""
                        {"name": "standup-notes", "cron": "30 9 * * 1-5", "timezone": "America/New_York",
                         "task": {"prompt": "Summarise yesterday's commits", "priority": "P1", "pool": "default"}}""")
                .post(PATH).then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("status", equalTo("ACTIVE"))
                .body("missedRunPolicy", equalTo("skip"))
                .body("overlapPolicy", equalTo("skip"))
                .body("task.priority", equalTo(8))
                .body("task.timeoutSeconds", equalTo(3600))
                .extract().jsonPath();

        List<Instant> expected = weekdayMornings(Instant.now(), 5);
        String id = created.getString("id");
        List<String> shown = client().get(PATH + "/" + id).then().statusCode(200).extract().jsonPath().getList("nextFireTimes");
        assertThat(shown.stream().map(Instant::parse).toList()).isEqualTo(expected);
        assertThat(Instant.parse(created.getString("nextFireAt"))).isEqualTo(expected.getFirst());
    }

    @Test
    void aTaskTemplateKeepsItsSessionSettings() {
        client().body("""
                        {"name": "reviewer", "cron": "@daily", "task": {"prompt": "Review open pull requests", "maxBudgetUsd": 1.25,
                         "allowedTools": ["Bash(gh:*)"], "disallowedTools": ["Edit"], "appendSystemPrompt": "Be terse.",
                         "permissionMode": "plan"}}""")
                .post(PATH).then().statusCode(201)
                .body("task.maxBudgetUsd", equalTo(1.25f))
                .body("task.allowedTools", contains("Bash(gh:*)"))
                .body("task.disallowedTools", contains("Edit"))
                .body("task.appendSystemPrompt", equalTo("Be terse."))
                .body("task.permissionMode", equalTo("plan"));
    }

    @Test
    void aOneTimeScheduleFiresOnlyAtItsRunAt() {
        OffsetDateTime runAt = OffsetDateTime.now(ZoneOffset.ofHours(2)).plusHours(1).truncatedTo(ChronoUnit.SECONDS);

        client().body("{\"name\": \"once\", \"runAt\": \"" + runAt + "\", \"task\": {\"prompt\": \"once\"}}")
                .post(PATH).then().statusCode(201)
                .body("nextFireTimes", equalTo(List.of(runAt.toInstant().toString())))
                .body("runAt", equalTo(runAt.toInstant().toString()));
    }

    @Test
    void theListShowsNewSchedulesFirst() {
        String id = create("{\"name\": \"listed\", \"cron\": \"@daily\", \"task\": {\"prompt\": \"p\"}}");

        client().get(PATH).then().statusCode(200).body("schedules[0].id", equalTo(id)).body("schedules.name", hasItem("listed"));
    }

    @Test
    void pauseResumeAndCancelMoveTheScheduleThroughItsStatuses() {
        String id = create("{\"name\": \"lifecycle\", \"cron\": \"*/5 * * * *\", \"task\": {\"prompt\": \"p\"}}");

        client().post(PATH + "/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"))
                .body("nextFireTimes.size()", equalTo(0));
        client().post(PATH + "/" + id + "/pause").then().statusCode(409).contentType(ProblemMappers.PROBLEM_JSON);
        Fixtures.update("update schedules set next_fire_at = now() - interval '1 hour' where id = ?", UUID.fromString(id));

        String resumedNext = client().post(PATH + "/" + id + "/resume").then().statusCode(200).body("status", equalTo("ACTIVE"))
                .extract().path("nextFireAt");
        assertThat(Instant.parse(resumedNext)).isAfter(Instant.now()).isBefore(Instant.now().plusSeconds(301));

        client().post(PATH + "/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        client().post(PATH + "/" + id + "/resume").then().statusCode(409);
        client().post(PATH + "/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void anUnknownScheduleIsNotFound() {
        client().get(PATH + "/" + UUID.randomUUID()).then().statusCode(404).body("type", equalTo(Problem.TYPE_BASE + "schedule-not-found"));
        client().post(PATH + "/" + UUID.randomUUID() + "/pause").then().statusCode(404);
        client().get(PATH + "/not-a-uuid").then().statusCode(400);
    }

    @Test
    void runsLinkEachFireTimeToItsTaskAndShowTheTasksOutcome() {
        String id = create("{\"name\": \"with-runs\", \"cron\": \"@hourly\", \"task\": {\"prompt\": \"p\"}}");
        UUID task = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        Instant fireTime = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Fixtures.update("""
                insert into schedule_runs (schedule_id, fire_time, fired_at, outcome, task_id) values (?, ?, ?, 'FIRED', ?)""",
                UUID.fromString(id), Timestamp.from(fireTime), Timestamp.from(fireTime.plusMillis(120)), task);
        Fixtures.update("""
                insert into schedule_runs (schedule_id, fire_time, fired_at, outcome) values (?, ?, now(), 'SKIPPED_OVERLAP')""",
                UUID.fromString(id), Timestamp.from(fireTime.minusSeconds(3600)));

        client().get(PATH + "/" + id + "/runs").then().statusCode(200)
                .body("runs.size()", equalTo(2))
                .body("runs[0].fireTime", equalTo(fireTime.toString()))
                .body("runs[0].outcome", equalTo("FIRED"))
                .body("runs[0].taskId", equalTo(task.toString()))
                .body("runs[0].taskStatus", equalTo("SUCCEEDED"))
                .body("runs[0].task", equalTo("/api/v1/tasks/" + task))
                .body("runs[1].outcome", equalTo("SKIPPED_OVERLAP"))
                .body("runs[1].taskId", equalTo(null));
    }

    @ParameterizedTest(name = "{0} → 422 naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "cron": "61 * * * *", "task": {"prompt": "p"}                             | cron
            "cron": "* * *", "task": {"prompt": "p"}                                  | cron
            "cron": "@often", "task": {"prompt": "p"}                                 | cron
            "cron": "0 0 30 2 *", "task": {"prompt": "p"}                             | cron
            "cron": "@daily", "timezone": "Mars/Olympus_Mons", "task": {"prompt": "p"} | timezone
            "runAt": "2020-01-01T00:00:00Z", "task": {"prompt": "p"}                  | runAt
            "runAt": "tomorrow morning", "task": {"prompt": "p"}                      | runAt
            "runAt": "2099-01-01T00:00:00", "task": {"prompt": "p"}                   | runAt
            "cron": "@daily", "runAt": "2099-01-01T00:00:00Z", "task": {"prompt": "p"} | runAt
            "task": {"prompt": "p"}                                                   | cron
            "cron": "@daily", "startAt": "2099-02-01T00:00:00Z", "endAt": "2099-01-01T00:00:00Z", "task": {"prompt": "p"} | endAt
            "cron": "@daily", "endAt": "2020-01-01T00:00:00Z", "task": {"prompt": "p"} | endAt
            "cron": "@daily"                                                          | task
            "cron": "@daily", "task": {"prompt": " "}                                 | task.prompt
            "cron": "@daily", "task": {"prompt": "p", "priority": "P9"}               | task.priority
            "cron": "@daily", "task": {"prompt": "p", "timeoutSeconds": 999999}       | task.timeoutSeconds
            "cron": "@daily", "task": {"prompt": "p", "timeoutSeconds": 0}            | task.timeoutSeconds
            "cron": "@daily", "task": {"prompt": "p", "workingDir": "relative/dir"}   | task.workingDir
            "cron": "@daily", "task": {"prompt": "p", "pool": "Not A Pool"}           | task.pool
            "cron": "@daily", "task": {"prompt": "p", "dependsOn": ["6f1c2d43-9a8b-4c7d-8e6f-5a4b3c2d1e0f"]} | task.dependsOn[0]
            "cron": "@daily", "task": {"prompt": "p", "notify": [{"type": "carrier-pigeon"}]} | task.notify[0].type
            "cron": "@daily", "task": {"prompt": "p", "permissionMode": "yolo"}       | task.permissionMode
            "cron": "@daily", "task": {"prompt": "p", "allowedTools": [""]}           | task.allowedTools[0]
            "cron": "@daily", "task": {"prompt": "p", "maxBudgetUsd": 0}              | task.maxBudgetUsd
            "cron": "@daily", "missedRunPolicy": "sometimes", "task": {"prompt": "p"} | missedRunPolicy
            "cron": "@daily", "overlapPolicy": "queue", "task": {"prompt": "p"}       | overlapPolicy
            "cron": "@daily", "maxCatchup": 0, "task": {"prompt": "p"}                | maxCatchup
            "cron": "@daily", "maxRuns": 0, "task": {"prompt": "p"}                   | maxRuns
            "cron": "@daily", "workflow": {"tasks": []}                               | workflow.tasks
            "cron": "@daily", "task": {"prompt": "p"}, "workflow": {"tasks": [{"ref": "a", "prompt": "p"}]} | workflow
            "cron": "@daily", "workflow": {"tasks": [{"ref": "a", "prompt": "p", "dependsOn": ["b"]}, {"ref": "b", "prompt": "p", "dependsOn": ["a"]}]} | workflow.tasks
            "cron": "@daily", "workflow": {"tasks": [{"ref": "a", "prompt": "p", "dependsOn": ["nowhere"]}]} | workflow.tasks[0].dependsOn[0]
            "cron": "@daily", "workflow": {"tasks": [{"ref": "a", "prompt": "p", "dependsOn": ["6f1c2d43-9a8b-4c7d-8e6f-5a4b3c2d1e0f"]}]} | workflow.tasks[0].dependsOn[0]
            "cron": "@daily", "workflow": {"tasks": [{"ref": "a", "prompt": "p"}, {"ref": "a", "prompt": "p"}]} | workflow.tasks[1].ref
            "cron": "@daily", "workflow": {"tasks": [{"ref": "a", "prompt": " "}]}    | workflow.tasks[0].prompt
            "cron": "@daily", "workflow": {"tasks": [{"ref": "a", "prompt": "p", "timeoutSeconds": 0}]} | workflow.tasks[0].timeoutSeconds
            "cron": "@daily", "workflow": {"tasks": [{"ref": "a", "prompt": "p", "pool": "Not A Pool"}]} | workflow.tasks[0].pool
            """)
    void anInvalidScheduleIsRefusedNamingTheFieldAndNothingIsWritten(String fields, String field) {
        String body = "{" + (fields.contains("\"name\"") ? "" : "\"name\": \"invalid\", ") + fields + "}";
        long schedulesBefore = TestDatabase.count("schedules");
        long tasksBefore = TestDatabase.count("tasks");

        client().body(body).post(PATH).then().statusCode(422)
                .contentType(ProblemMappers.PROBLEM_JSON)
                .body("type", equalTo(Problem.TYPE_BASE + "invalid-schedule"))
                .body("errors.field", hasItem(field));

        assertThat(TestDatabase.count("schedules")).isEqualTo(schedulesBefore);
        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @Test
    void aWorkflowTemplateWithACycleIsRefusedNamingTheCycle() {
        client().body("""
                        {"name": "cyclic", "cron": "@daily", "workflow": {"tasks": [
                          {"ref": "build", "prompt": "p", "dependsOn": ["deploy"]}, {"ref": "deploy", "prompt": "p", "dependsOn": ["build"]}]}}""")
                .post(PATH).then().statusCode(422)
                .body("errors.find { it.field == 'workflow.tasks' }.message", allOf(
                        containsString("cycle"), containsString("build"),
                        containsString("deploy")));
    }

    @Test
    void aWorkflowScheduleShowsItsTemplateWithDependenciesByRef() {
        String id = create("""
                {"name": "nightly build", "cron": "0 2 * * *", "workflow": {"name": "build and test", "tasks": [
                  {"ref": "build", "prompt": "build it", "pool": "default"},
                  {"ref": "test", "prompt": "test it", "dependsOn": ["build"], "continueFrom": "build"}]}}""");

        client().get(PATH + "/" + id).then().statusCode(200)
                .body("task", equalTo(null))
                .body("workflow.name", equalTo("build and test"))
                .body("workflow.tasks.ref", contains("build", "test"))
                .body("workflow.tasks[1].dependsOn", contains("build"))
                .body("workflow.tasks[1].continueFrom", equalTo("build"))
                .body("workflow.tasks[1].task.prompt", equalTo("test it"))
                .body("workflow.tasks[1].task.dependsOn.size()", equalTo(0));
        assertThat(TestDatabase.count("select count(*) from schedules where id = ?::uuid and task_template is null "
                + "and jsonb_array_length(workflow_template->'tasks') = 2", id)).isEqualTo(1);
    }

    @Test
    void runsLinkAWorkflowRunToItsWorkflowAndShowWhyARunFailedToFire() {
        String id = create("{\"name\": \"workflow-runs\", \"cron\": \"@hourly\", \"workflow\": {\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\"}]}}");
        UUID workflow = UUID.randomUUID();
        Fixtures.update("""
                insert into workflows (id, name, status, unfinished_tasks, created_at, updated_at)
                values (?, 'scheduled', 'FAILED', 0, now(), now())""", workflow);
        Instant fireTime = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Fixtures.update("""
                insert into schedule_runs (schedule_id, fire_time, fired_at, outcome, workflow_id) values (?, ?, now(), 'FIRED', ?)""",
                UUID.fromString(id), Timestamp.from(fireTime), workflow);
        Fixtures.update("""
                insert into schedule_runs (schedule_id, fire_time, fired_at, outcome, reason)
                values (?, ?, now(), 'FIRE_FAILED', 'Unknown dependencies: [x]')""",
                UUID.fromString(id), Timestamp.from(fireTime.minusSeconds(3600)));

        client().get(PATH + "/" + id + "/runs").then().statusCode(200)
                .body("runs[0].workflowId", equalTo(workflow.toString()))
                .body("runs[0].workflowStatus", equalTo("FAILED"))
                .body("runs[0].workflow", equalTo("/api/v1/workflows/" + workflow))
                .body("runs[0].taskId", equalTo(null))
                .body("runs[1].outcome", equalTo("FIRE_FAILED"))
                .body("runs[1].reason", equalTo("Unknown dependencies: [x]"))
                .body("runs[1].workflowId", equalTo(null));
    }

    @Test
    void aScheduleWithoutANameIsRefused() {
        client().body("{\"cron\": \"@daily\", \"task\": {\"prompt\": \"p\"}}").post(PATH).then().statusCode(422)
                .body("errors.field", hasItem("name"));
    }

    private static String create(String body) {
        return client().body(body).post(PATH).then().statusCode(201).extract().path("id");
    }

    /** The next weekday 09:30 New York times after {@code after}, computed with java.time alone. */
    private static List<Instant> weekdayMornings(Instant after, int count) {
        List<Instant> times = new ArrayList<>();
        ZonedDateTime day = after.atZone(NEW_YORK).toLocalDate().atStartOfDay(NEW_YORK);
        while (times.size() < count) {
            ZonedDateTime candidate = day.toLocalDate().atTime(LocalTime.of(9, 30)).atZone(NEW_YORK);
            boolean weekday = candidate.getDayOfWeek() != DayOfWeek.SATURDAY && candidate.getDayOfWeek() != DayOfWeek.SUNDAY;
            if (weekday && candidate.toInstant().isAfter(after)) {
                times.add(candidate.toInstant());
            }
            day = day.plusDays(1);
        }
        return times;
    }
}
