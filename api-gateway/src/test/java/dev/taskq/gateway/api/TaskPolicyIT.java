package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static dev.taskq.gateway.Fixtures.count;
import static dev.taskq.gateway.Fixtures.createKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.taskq.gateway.Fixtures.Key;
import dev.taskq.gateway.mcp.McpClientAccess;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The task policy at submit: 422 naming the rule and field, per role, nothing written (test profile limits). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TaskPolicyIT {

    @Test
    void aSubmitterAskingForMoreThanItsRoleMayIsRefusedNamingEachRule() {
        Key submitter = createKey("submitter");
        long tasks = count("tasks");
        client(submitter.secret()).body("{\"prompt\": \"p\", \"maxTurns\": 31, \"timeoutSeconds\": 7201, \"maxBudgetUsd\": 2.5}")
                .post("/api/v1/tasks").then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/policy-violation"))
                .body("detail", containsString("'max-turns'"))
                .body("errors.field", hasItem("maxTurns"))
                .body("errors.field", hasItem("timeoutSeconds"))
                .body("errors.field", hasItem("maxBudgetUsd"))
                .body("errors.find { it.field == 'maxTurns' }.message", containsString("policy rule max-turns"));
        assertThat(count("tasks")).isEqualTo(tasks);
        // An admin's role has no such limits.
        client().body("{\"prompt\": \"p\", \"maxTurns\": 31, \"timeoutSeconds\": 7201, \"maxBudgetUsd\": 2.5}")
                .post("/api/v1/tasks").then().statusCode(201);
    }

    @Test
    void aPromptMatchingABlockedPatternIsRefusedForEveryRoleWithoutEchoingIt() {
        client().body("{\"prompt\": \"please do the FORBIDDEN-BY-POLICY thing\"}").post("/api/v1/tasks").then().statusCode(422)
                .body("type", endsWith("/policy-violation"))
                .body("errors[0].field", is("prompt"))
                .body("errors[0].message", containsString("blocked-patterns"));
    }

    @Test
    void workflowNodesAndScheduleTemplatesAreCheckedToo() {
        Key submitter = createKey("submitter");
        long tasks = count("tasks");
        long schedules = count("schedules");
        client(submitter.secret()).body("{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\"}, {\"ref\": \"b\", \"prompt\": \"p\", \"maxTurns\": 99}]}")
                .post("/api/v1/workflows").then().statusCode(422)
                .body("type", endsWith("/policy-violation"))
                .body("errors.field", hasItem("tasks[1].maxTurns"));
        client(submitter.secret()).body("{\"name\": \"s\", \"cron\": \"0 * * * *\", \"task\": {\"prompt\": \"p\", \"maxTurns\": 99}}")
                .post("/api/v1/schedules").then().statusCode(422)
                .body("type", endsWith("/policy-violation"))
                .body("errors.field", hasItem("task.maxTurns"));
        assertThat(count("tasks")).isEqualTo(tasks);
        assertThat(count("schedules")).isEqualTo(schedules);
    }

    @Test
    void anMcpDelegationBreakingThePolicyIsAToolErrorNamingTheRule() {
        Key submitter = createKey("submitter");
        String text = McpClientAccess.callTool(submitter.secret(), "DelegateTask",
                java.util.Map.of("prompt", "p", "maxTurns", 99));
        assertThat(text).contains("The task breaks the task policy").contains("max-turns");
    }
}
