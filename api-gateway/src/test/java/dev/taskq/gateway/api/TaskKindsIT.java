package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.domain.DefaultAgentRoles;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Task kinds and agent roles at the API: command tasks within the policy (the test profile allows echo, sh, npm and
 * /usr/bin/make in pool default, and shell strings in pool trusted), refusals that write nothing, and the agent roles
 * admins manage.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskKindsIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String ROLES = "/api/v1/agent-roles";

    @Test
    void aCommandTaskIsStoredWithItsArgvAndShownWithItsCommandLineAsPrompt() {
        String id = client().body("{\"kind\": \"command\", \"command\": [\"npm\", \"run\", \"build\"], \"timeoutSeconds\": 600}")
                .post("/api/v1/tasks")
                .then()
                .statusCode(201)
                .body("kind", is("command"))
                .body("command", equalTo(List.of("npm", "run", "build")))
                .body("shell", is(false))
                .body("prompt", is("npm run build"))
                .body("status", is("QUEUED"))
                .extract().path("id");

        assertThat(Fixtures.queryString("select kind || ' ' || command::text || ' ' || shell from tasks where id = ?",
                UUID.fromString(id))).isEqualTo("COMMAND [\"npm\", \"run\", \"build\"] false");
        client().get("/api/v1/tasks/" + id).then().statusCode(200).body("kind", is("command")).body("agent", nullValue());
    }

    @Test
    void aShellStringIsAcceptedInAPoolThatAllowsIt() {
        client().body("{\"kind\": \"command\", \"shell\": true, \"command\": \"npm ci && npm test\", \"pool\": \"trusted\", "
                        + "\"prompt\": \"Install and test\"}")
                .post("/api/v1/tasks")
                .then()
                .statusCode(201)
                .body("command", equalTo(List.of("npm ci && npm test")))
                .body("shell", is(true))
                .body("prompt", is("Install and test"));
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            an executable not on the list   | command[0] | allowed-executables.default | "command": ["rm", "-rf", "/tmp/x"]
            a bare name only listed as path | command[0] | allowed-executables.default | "command": ["make"]
            a relative path                 | command[0] | bare executable name        | "command": ["./npm", "test"]
            a pool with no allowlist        | command[0] | allowed-executables.gpu     | "command": ["npm", "test"], "pool": "gpu"
            a shell outside shell pools     | shell      | shell-pools                 | "command": "npm test", "shell": true
            """)
    void aCommandOutsideThePolicyIsRefusedWith422NamingTheRuleAndNothingIsWritten(
            String what, String field, String rule, String fields) {
        long tasksBefore = TestDatabase.count("tasks");

        client().body("{\"kind\": \"command\", " + fields + "}").post("/api/v1/tasks")
                .then()
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/command-not-allowed"))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(rule));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @ParameterizedTest(name = "{0} is a bad request naming {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no command                      | command    | is required        | "kind": "command"
            an empty argv                   | command    | 1 to 1000          | "kind": "command", "command": []
            a number in the argv            | command[1] | must be a string   | "kind": "command", "command": ["echo", 5]
            a string without shell          | command    | needs shell: true  | "kind": "command", "command": "npm test"
            a session setting               | model      | claude task        | "kind": "command", "command": ["npm"], "model": "opus"
            an agent on a command           | agent      | claude task        | "kind": "command", "command": ["npm"], "agent": "coder"
            a command on a claude task      | command    | only for kind      | "prompt": "p", "command": ["npm"]
            an unknown kind                 | kind       | claude or command  | "kind": "script", "command": ["npm"]
            a claude task without prompt    | prompt     | must not be blank  | "kind": "claude"
            """)
    void aMalformedCommandTaskIsABadRequestAndNothingIsWritten(String what, String field, String message, String fields) {
        long tasksBefore = TestDatabase.count("tasks");

        client().body("{" + fields + "}").post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @Test
    void aWorkflowNodeAndAScheduleTemplateAreHeldToTheSamePolicy() {
        long tasksBefore = TestDatabase.count("tasks");
        long workflowsBefore = TestDatabase.count("workflows");
        long schedulesBefore = TestDatabase.count("schedules");

        client().body("""
                        {"name": "ci", "tasks": [
                          {"ref": "build", "kind": "command", "command": ["npm", "run", "build"]},
                          {"ref": "wipe", "kind": "command", "command": ["rm", "-rf", "build"], "dependsOn": ["build"]}]}""")
                .post("/api/v1/workflows")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("tasks[1].command[0]"))
                .body("errors.find { it.field == 'tasks[1].command[0]' }.message",
                        containsString("taskq.api.command-tasks.allowed-executables.default"));
        client().body("{\"name\": \"nightly-wipe\", \"cron\": \"@daily\", \"task\": {\"kind\": \"command\", \"command\": [\"rm\"]}}")
                .post("/api/v1/schedules")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("task.command[0]"));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
        assertThat(TestDatabase.count("workflows")).isEqualTo(workflowsBefore);
        assertThat(TestDatabase.count("schedules")).isEqualTo(schedulesBefore);
    }

    @Test
    void aWorkflowMixesCommandAndClaudeTasksAndAScheduleKeepsACommandTemplate() {
        client().body("""
                        {"name": "build-and-review", "tasks": [
                          {"ref": "build", "kind": "command", "command": ["npm", "run", "build"]},
                          {"ref": "review", "prompt": "Review the build output", "agent": "reviewer", "continueFrom": "build"}]}""")
                .post("/api/v1/workflows")
                .then()
                .statusCode(201)
                .body("tasks.find { it.ref == 'build' }.status", is("QUEUED"))
                .body("tasks.find { it.ref == 'review' }.status", is("WAITING"));
        client().body("{\"name\": \"nightly-build\", \"cron\": \"@daily\", \"task\": {\"kind\": \"command\", "
                        + "\"command\": [\"npm\", \"run\", \"build\"]}}")
                .post("/api/v1/schedules")
                .then()
                .statusCode(201);
    }

    @Test
    void aCommandTaskCannotBeResumedOrRetriedWithContext() {
        UUID id = Fixtures.submit("{\"kind\": \"command\", \"command\": [\"echo\", \"hi\"]}");
        client().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);

        client().post("/api/v1/tasks/" + id + "/resume")
                .then()
                .statusCode(409)
                .body("type", is("https://taskq.dev/problems/task-not-resumable"))
                .body("detail", containsString("command task"));
        client().body("{\"additionalContext\": \"try harder\"}").post("/api/v1/tasks/" + id + "/retry")
                .then()
                .statusCode(409)
                .body("detail", containsString("reads no prompt"));
        client().post("/api/v1/tasks/" + id + "/retry")
                .then()
                .statusCode(201)
                .body("task.kind", is("command"))
                .body("task.command", equalTo(List.of("echo", "hi")));
    }

    @Test
    void anUnknownAgentRoleIsRefusedWith422NamingAgentAndAKnownOneIsKept() {
        long tasksBefore = TestDatabase.count("tasks");

        client().body("{\"prompt\": \"Review the diff\", \"agent\": \"critic\"}").post("/api/v1/tasks")
                .then()
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/unknown-agent-role"))
                .body("errors[0].field", is("agent"))
                .body("errors[0].message", containsString("'critic'"));
        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);

        client().body("{\"prompt\": \"Review the diff\", \"agent\": \"reviewer\"}").post("/api/v1/tasks")
                .then()
                .statusCode(201)
                .body("agent", is("reviewer"));
    }

    @Test
    void theSixDefaultRolesAreListedExactlyAsShipped() {
        JsonPath listed = client().get(ROLES).then().statusCode(200).extract().jsonPath();

        for (AgentRole role : DefaultAgentRoles.ALL) {
            Map<String, Object> view = listed.getMap("find { it.name == '" + role.name() + "' }");
            assertThat(view).as(role.name()).isNotNull();
            assertThat(view.get("description")).isEqualTo(role.description());
            assertThat(view.get("appendSystemPrompt")).isEqualTo(role.appendSystemPrompt());
            assertThat(view.get("allowedTools")).isEqualTo(role.allowedTools());
            assertThat(view.get("disallowedTools")).isEqualTo(role.disallowedTools());
            assertThat(view.get("model")).isEqualTo(role.model());
            assertThat(view.get("maxTurns")).isEqualTo(role.maxTurns());
            assertThat(new BigDecimal(view.get("maxBudgetUsd").toString())).isEqualByComparingTo(role.maxBudgetUsd());
        }
    }

    @Test
    void aRoleDefinedInConfigurationIsCreatedAtStartAndCanBeTaken() {
        client().get(ROLES + "/release-notes").then().statusCode(200)
                .body("description", is("Writes release notes from the git log"))
                .body("allowedTools", equalTo(List.of("Read", "Bash(git log:*)")))
                .body("model", is("haiku"))
                .body("maxTurns", is(12))
                .body("maxBudgetUsd", nullValue());
        client().body("{\"prompt\": \"Notes for 1.4\", \"agent\": \"release-notes\"}").post("/api/v1/tasks")
                .then().statusCode(201).body("agent", is("release-notes"));
    }

    @Test
    void anAdminCreatesReplacesAndDeletesARole() {
        String name = "auditor-" + UUID.randomUUID().toString().substring(0, 8);
        client().body("{\"description\": \"Audits\", \"allowedTools\": [\"Read\"], \"maxTurns\": 5}").put(ROLES + "/" + name)
                .then()
                .statusCode(201)
                .header("Location", containsString(ROLES + "/" + name))
                .body("name", is(name))
                .body("maxTurns", is(5));
        client().body("{\"description\": \"Audits deeper\", \"model\": \"opus\"}").put(ROLES + "/" + name)
                .then()
                .statusCode(200)
                .body("description", is("Audits deeper"))
                .body("maxTurns", nullValue())
                .body("allowedTools", equalTo(List.of()));
        client().get(ROLES + "/" + name).then().statusCode(200).body("model", is("opus"));

        UUID waiting = Fixtures.submit("{\"prompt\": \"audit\", \"agent\": \"" + name + "\", \"dependsOn\": [\""
                + Fixtures.submit("{\"prompt\": \"first\"}") + "\"]}");
        client().delete(ROLES + "/" + name)
                .then()
                .statusCode(409)
                .body("type", is("https://taskq.dev/problems/agent-role-in-use"))
                .body("detail", containsString("1 unfinished task(s)"));
        client().post("/api/v1/tasks/" + waiting + "/cancel").then().statusCode(200);
        client().delete(ROLES + "/" + name).then().statusCode(204);
        client().get(ROLES + "/" + name).then().statusCode(404).body("type", is("https://taskq.dev/problems/agent-role-not-found"));
        client().delete(ROLES + "/" + name).then().statusCode(404);
    }

    @Test
    void anInvalidRoleIsABadRequest() {
        client().body("{\"description\": \"x\"}").put(ROLES + "/Bad Name")
                .then().statusCode(400).body("errors[0].field", is("name"));
        client().body("{\"maxTurns\": 0}").put(ROLES + "/tidy")
                .then().statusCode(400).body("errors.field", hasItem("description")).body("errors.field", hasItem("maxTurns"));
        client().get(ROLES + "/tidy").then().statusCode(404);
    }

    @Test
    void onlyAnAdminKeyMayChangeRolesAndAViewerKeyMaySubmitNoCommand() {
        Fixtures.Key viewer = Fixtures.createKey("viewer");
        Fixtures.Key submitter = Fixtures.createKey("submitter");
        long tasksBefore = TestDatabase.count("tasks");

        for (Fixtures.Key key : List.of(viewer, submitter)) {
            Fixtures.client(key.secret()).body("{\"description\": \"x\"}").put(ROLES + "/sneaky")
                    .then().statusCode(403).contentType(PROBLEM_JSON).body("type", is("https://taskq.dev/problems/forbidden"));
            Fixtures.client(key.secret()).delete(ROLES + "/reviewer").then().statusCode(403);
            Fixtures.client(key.secret()).get(ROLES + "/reviewer").then().statusCode(200);
        }
        Fixtures.client(viewer.secret()).body("{\"kind\": \"command\", \"command\": [\"npm\", \"test\"]}").post("/api/v1/tasks")
                .then()
                .statusCode(403)
                .body("type", is("https://taskq.dev/problems/forbidden"));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
        client().get(ROLES + "/sneaky").then().statusCode(404);
    }
}
