package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static dev.taskq.gateway.Fixtures.createKey;
import static dev.taskq.gateway.Fixtures.queryString;
import static dev.taskq.gateway.Fixtures.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.gateway.Fixtures.Key;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input across every endpoint and the MCP path, under a production-like policy: each case gets a 4xx
 * problem+json (or, for a harmless read, a 200 that finds nothing), no table changes, and the service stays ready.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(HostileInputIT.ProductionPolicy.class)
class HostileInputIT {

    /** What production would run with: no repositories from the workers' disks, GitHub only, two models. */
    public static class ProductionPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "taskq.api.workspaces.allow-local-repos", "false",
                    "taskq.api.policy.allowed-repo-hosts", "github.com",
                    "taskq.api.policy.allowed-models", "claude-sonnet-4-5,claude-haiku-4-5",
                    "taskq.api.notifications.allow-insecure-urls", "false");
        }
    }

    /** Tables a rejected request must leave as they were. */
    private static final List<String> TABLES = List.of("tasks", "task_dependencies", "task_notifications", "workflows",
            "schedules", "notification_destinations", "notification_subscriptions", "api_keys", "idempotency_keys");

    /** Stand-ins in a case's path or token, resolved once Quarkus runs. */
    private static final String OWN_TASK = "{own-task}";
    private static final String OTHERS_TASK = "{others-task}";
    private static final Map<String, String> tokens = new LinkedHashMap<>();
    private static final Map<String, String> ids = new LinkedHashMap<>();

    /**
     * One hostile request.
     *
     * @param expected the status it must get; 0 for "any 4xx"
     * @param token a bootstrap token, an API key's role (admin-key, submitter, viewer, worker, revoked, expired) or null
     */
    record Case(String name, String method, String path, String contentType, String body, String token, int expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String bootstrap = "test-token";
        Map<String, String> jsonEndpoints = new LinkedHashMap<>();
        jsonEndpoints.put("submit", "/api/v1/tasks");
        jsonEndpoints.put("workflow", "/api/v1/workflows");
        jsonEndpoints.put("schedule", "/api/v1/schedules");
        jsonEndpoints.put("pipeline", "/api/v1/pipelines");
        jsonEndpoints.put("destination", "/api/v1/notification-destinations");
        jsonEndpoints.put("subscription", "/api/v1/subscriptions");
        jsonEndpoints.put("api key", "/api/v1/api-keys");
        jsonEndpoints.put("answer", "/api/v1/tasks/" + OWN_TASK + "/answer");
        jsonEndpoints.put("retry", "/api/v1/tasks/" + OWN_TASK + "/retry");
        jsonEndpoints.put("resume", "/api/v1/tasks/" + OWN_TASK + "/resume");

        Map<String, String> brokenBodies = new LinkedHashMap<>();
        brokenBodies.put("truncated object", "{\"prompt\": \"p\"");
        brokenBodies.put("truncated string", "{\"prompt\": \"p");
        brokenBodies.put("not JSON at all", "prompt=p&pool=default");
        brokenBodies.put("trailing comma", "{\"prompt\": \"p\",}");
        brokenBodies.put("single quotes", "{'prompt': 'p'}");
        brokenBodies.put("a JSON array", "[{\"prompt\": \"p\"}]");
        brokenBodies.put("a JSON string", "\"p\"");
        brokenBodies.put("a JSON number", "42");
        brokenBodies.put("JSON null", "null");
        brokenBodies.put("deep nesting", "{\"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        brokenBodies.put("an unknown field", "{\"prompt\": \"p\", \"$where\": \"1=1\"}");
        brokenBodies.put("a NUL byte in a key", "{\"pro\\u0000mpt\": \"p\"}");
        brokenBodies.put("a raw control character", "{\"prompt\": \"a\u0001b\"\u0002}");
        brokenBodies.put("a lone surrogate escape as a key", "{\"\\ud800\": 1}");
        brokenBodies.put("an empty object", "{}");
        for (var endpoint : jsonEndpoints.entrySet()) {
            for (var body : brokenBodies.entrySet()) {
                boolean keyEndpoint = endpoint.getKey().equals("api key") || endpoint.getKey().equals("destination")
                        || endpoint.getKey().equals("subscription");
                // The own task never ran, so even a well-formed retry or resume body is a 409: every answer here is a 4xx.
                cases.add(new Case(endpoint.getKey() + ": " + body.getKey(), "POST", endpoint.getValue(), "application/json",
                        body.getValue(), keyEndpoint ? bootstrap : "submitter", 0));
            }
            cases.add(new Case(endpoint.getKey() + ": a form body", "POST", endpoint.getValue(), "application/x-www-form-urlencoded",
                    "prompt=p", "submitter", 0));
        }

        // Wrong types and hostile values for each field of a task.
        Map<String, String> taskFields = new LinkedHashMap<>();
        taskFields.put("prompt as a list", "{\"prompt\": [\"p\"]}");
        taskFields.put("prompt as an object", "{\"prompt\": {\"$ne\": null}}");
        taskFields.put("prompt blank", "{\"prompt\": \"   \"}");
        taskFields.put("prompt with a NUL", "{\"prompt\": \"a\\u0000b\"}");
        taskFields.put("prompt over the limit", "{\"prompt\": \"" + "x".repeat(100_001) + "\"}");
        taskFields.put("priority as an array", "{\"prompt\": \"p\", \"priority\": [1]}");
        taskFields.put("priority out of range", "{\"prompt\": \"p\", \"priority\": 11}");
        taskFields.put("priority P9", "{\"prompt\": \"p\", \"priority\": \"P9\"}");
        taskFields.put("priority SQL", "{\"prompt\": \"p\", \"priority\": \"1; drop table tasks\"}");
        taskFields.put("timeout negative", "{\"prompt\": \"p\", \"timeoutSeconds\": -1}");
        taskFields.put("timeout a float", "{\"prompt\": \"p\", \"timeoutSeconds\": 1.5}");
        taskFields.put("timeout beyond int", "{\"prompt\": \"p\", \"timeoutSeconds\": 99999999999999999999}");
        taskFields.put("timeout as text", "{\"prompt\": \"p\", \"timeoutSeconds\": \"ten\"}");
        taskFields.put("maxTurns zero", "{\"prompt\": \"p\", \"maxTurns\": 0}");
        taskFields.put("budget negative", "{\"prompt\": \"p\", \"maxBudgetUsd\": -5}");
        taskFields.put("dependsOn not UUIDs", "{\"prompt\": \"p\", \"dependsOn\": [\"' or 1=1 --\"]}");
        taskFields.put("dependsOn unknown task", "{\"prompt\": \"p\", \"dependsOn\": [\"" + UUID.randomUUID() + "\"]}");
        taskFields.put("dependsOn repeated", "{\"prompt\": \"p\", \"dependsOn\": [\"" + OWN_TASK + "\", \"" + OWN_TASK + "\"]}");
        taskFields.put("metadata nested", "{\"prompt\": \"p\", \"metadata\": {\"a\": {\"b\": 1}}}");
        taskFields.put("metadata NUL", "{\"prompt\": \"p\", \"metadata\": {\"a\\u0000\": \"b\"}}");
        taskFields.put("pool as a list", "{\"prompt\": \"p\", \"pool\": [\"default\"]}");
        taskFields.put("permission mode unknown", "{\"prompt\": \"p\", \"permissionMode\": \"yolo\"}");
        taskFields.put("onDependencyFailure unknown", "{\"prompt\": \"p\", \"onDependencyFailure\": \"explode\"}");
        taskFields.put("concurrencyKey with newline", "{\"prompt\": \"p\", \"concurrencyKey\": \"a\\nb\"}");
        taskFields.put("retry maxAttempts 1000", "{\"prompt\": \"p\", \"retry\": {\"maxAttempts\": 1000}}");
        taskFields.put("notify unknown destination", "{\"prompt\": \"p\", \"notify\": [{\"destination\": \"nope\"}]}");
        for (var field : taskFields.entrySet()) {
            cases.add(new Case("task field: " + field.getKey(), "POST", "/api/v1/tasks", "application/json", field.getValue(),
                    "submitter", 0));
        }

        // Where a task may work: traversal, local paths and internal hosts, refused by the workspace rules and the policy.
        List<String> workingDirs = List.of("../../etc", "/srv/../etc", "/etc/passwd", "/srv/./../root", "relative/dir",
                "/srv/a\u0000b", "~/.ssh", "/proc/self", "C:\\\\Windows", "/srv/sub/../../etc");
        for (String dir : workingDirs) {
            cases.add(new Case("workingDir " + dir.replace("\u0000", "\\0"), "POST", "/api/v1/tasks", "application/json",
                    "{\"prompt\": \"p\", \"workingDir\": \"" + dir.replace("\\", "\\\\").replace("\u0000", "\\u0000") + "\"}", "submitter", 0));
        }
        List<String> repoUrls = List.of("file:///etc", "file:///srv/repo", "/srv/repo", "ssh://git@10.0.0.5/repo.git",
                "ssh://git@localhost:22/repo.git", "https://169.254.169.254/latest/meta-data", "git@internal.corp:repo.git",
                "https://github.com.evil.com/x.git", "ext::sh -c touch% /tmp/pwned", "https://github.com/acme/app.git --upload-pack=id",
                "-oProxyCommand=id", "http://github.com/acme/app.git\nHost: evil");
        for (String url : repoUrls) {
            cases.add(new Case("repo.url " + url.replace("\n", "\\n"), "POST", "/api/v1/tasks", "application/json",
                    "{\"prompt\": \"p\", \"repo\": {\"url\": \"" + url.replace("\n", "\\n") + "\"}}", "submitter", 422));
        }
        cases.add(new Case("repo ref with shell", "POST", "/api/v1/tasks", "application/json",
                "{\"prompt\": \"p\", \"repo\": {\"url\": \"https://github.com/acme/app.git\", \"ref\": \"main; rm -rf /\"}}", "submitter", 422));
        cases.add(new Case("repo ref option", "POST", "/api/v1/tasks", "application/json",
                "{\"prompt\": \"p\", \"repo\": {\"url\": \"https://github.com/acme/app.git\", \"ref\": \"--output=/etc/x\"}}", "submitter", 422));
        cases.add(new Case("a model outside the policy", "POST", "/api/v1/tasks", "application/json",
                "{\"prompt\": \"p\", \"model\": \"claude-opus-4-1\"}", "submitter", 422));
        cases.add(new Case("a model with shell text", "POST", "/api/v1/tasks", "application/json",
                "{\"prompt\": \"p\", \"model\": \"sonnet; id\"}", "submitter", 400));

        // Workflows: cycles, self-loops, unknown refs and ids.
        Map<String, String> workflows = new LinkedHashMap<>();
        workflows.put("a two-node cycle", "{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\", \"dependsOn\": [\"b\"]}, "
                + "{\"ref\": \"b\", \"prompt\": \"p\", \"dependsOn\": [\"a\"]}]}");
        workflows.put("a self-loop", "{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\", \"dependsOn\": [\"a\"]}]}");
        workflows.put("an unknown ref", "{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\", \"dependsOn\": [\"zz\"]}]}");
        workflows.put("an unknown task id", "{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\", \"dependsOn\": [\"" + UUID.randomUUID() + "\"]}]}");
        workflows.put("duplicate refs", "{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\"}, {\"ref\": \"a\", \"prompt\": \"p\"}]}");
        workflows.put("no tasks", "{\"tasks\": []}");
        workflows.put("a null task", "{\"tasks\": [null]}");
        workflows.put("a node with traversal", "{\"tasks\": [{\"ref\": \"a\", \"prompt\": \"p\", \"workingDir\": \"/srv/../etc\"}]}");
        workflows.put("a ref with SQL", "{\"tasks\": [{\"ref\": \"a'); drop table tasks;--\", \"prompt\": \"p\", \"dependsOn\": [\"x\"]}]}");
        for (var workflow : workflows.entrySet()) {
            cases.add(new Case("workflow: " + workflow.getKey(), "POST", "/api/v1/workflows", "application/json", workflow.getValue(),
                    "submitter", 0));
        }

        // Schedules: crons and zones that do not parse, or that make no sense.
        Map<String, String> schedules = new LinkedHashMap<>();
        schedules.put("cron with six fields of junk", "{\"name\": \"s\", \"cron\": \"a b c d e f\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("cron minute 61", "{\"name\": \"s\", \"cron\": \"61 * * * *\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("cron with shell", "{\"name\": \"s\", \"cron\": \"* * * * * $(id)\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("cron empty", "{\"name\": \"s\", \"cron\": \"\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("zone unknown", "{\"name\": \"s\", \"cron\": \"0 * * * *\", \"timezone\": \"Mars/Olympus\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("zone traversal", "{\"name\": \"s\", \"cron\": \"0 * * * *\", \"timezone\": \"../../etc/localtime\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("zone offset garbage", "{\"name\": \"s\", \"cron\": \"0 * * * *\", \"timezone\": \"+99:00\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("cron and runAt", "{\"name\": \"s\", \"cron\": \"0 * * * *\", \"runAt\": \"2099-01-01T00:00:00Z\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("runAt in the past", "{\"name\": \"s\", \"runAt\": \"2001-01-01T00:00:00Z\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("runAt not a date", "{\"name\": \"s\", \"runAt\": \"tomorrow\", \"task\": {\"prompt\": \"p\"}}");
        schedules.put("template with traversal", "{\"name\": \"s\", \"cron\": \"0 * * * *\", \"task\": {\"prompt\": \"p\", \"workingDir\": \"../x\"}}");
        schedules.put("name with NUL", "{\"name\": \"a\\u0000\", \"cron\": \"0 * * * *\", \"task\": {\"prompt\": \"p\"}}");
        for (var schedule : schedules.entrySet()) {
            cases.add(new Case("schedule: " + schedule.getKey(), "POST", "/api/v1/schedules", "application/json", schedule.getValue(),
                    "submitter", 0));
        }

        // Webhook and Discord URLs: header injection, internal hosts, other schemes.
        List<String> hooks = List.of("https://example.com/hook\\r\\nX-Evil: 1", "https://example.com/hook\\nHost: evil",
                "http://example.com/hook", "file:///etc/passwd",
                "gopher://example.com/x", "javascript:alert(1)", "https://user:pass@example.com/\\u0000", "not a url");
        for (String hook : hooks) {
            cases.add(new Case("webhook url " + hook, "POST", "/api/v1/notification-destinations", "application/json",
                    "{\"name\": \"h" + Math.abs(hook.hashCode()) + "\", \"type\": \"webhook\", \"config\": {\"url\": \"" + hook + "\"}}",
                    bootstrap, 0));
        }
        cases.add(new Case("discord url elsewhere", "POST", "/api/v1/notification-destinations", "application/json",
                "{\"name\": \"d1\", \"type\": \"discord\", \"config\": {\"webhookUrl\": \"https://evil.example/api/webhooks/1/x\"}}", bootstrap, 0));
        cases.add(new Case("destination name with traversal", "POST", "/api/v1/notification-destinations", "application/json",
                "{\"name\": \"../../x\", \"type\": \"webhook\", \"config\": {\"url\": \"https://example.com/h\"}}", bootstrap, 0));

        // Paths and query parameters.
        String[][] reads = {
                {"task id not a UUID", "/api/v1/tasks/not-a-uuid", "400"},
                {"task id SQL", "/api/v1/tasks/1%27%20or%201=1--", "400"},
                {"task id traversal", "/api/v1/tasks/..%2F..%2Fetc%2Fpasswd", "0"},
                {"unknown task", "/api/v1/tasks/" + UUID.randomUUID(), "404"},
                {"unknown workflow", "/api/v1/workflows/" + UUID.randomUUID(), "404"},
                {"unknown schedule", "/api/v1/schedules/" + UUID.randomUUID(), "404"},
                {"unknown pipeline", "/api/v1/pipelines/" + UUID.randomUUID(), "404"},
                {"unknown api key", "/api/v1/api-keys/" + UUID.randomUUID(), "404"},
                {"limit zero", "/api/v1/tasks?limit=0", "400"},
                {"limit huge", "/api/v1/tasks?limit=99999999999", "400"},
                {"limit SQL", "/api/v1/tasks?limit=1;drop%20table%20tasks", "400"},
                {"status unknown", "/api/v1/tasks?status=PWNED", "400"},
                {"cursor forged", "/api/v1/tasks?cursor=JyBvciAxPTEtLQ", "400"},
                {"cursor not base64", "/api/v1/tasks?cursor=%00%01", "400"},
                {"log cursor negative", "/api/v1/tasks/" + OWN_TASK + "/logs?after=-1", "400"},
                {"log cursor text", "/api/v1/tasks/" + OWN_TASK + "/logs?after=abc", "400"},
                {"logs of unknown task", "/api/v1/tasks/" + UUID.randomUUID() + "/logs", "404"},
                {"audit bad key id", "/api/v1/audit?keyId=x", "400"},
                {"audit bad since", "/api/v1/audit?since=yesterday", "400"},
                {"workflow status unknown", "/api/v1/workflows?status=NOPE", "400"},
                {"unknown path", "/api/v1/../../etc/passwd", "0"},
                {"unknown api version", "/api/v2/tasks", "404"},
        };
        for (String[] read : reads) {
            boolean adminOnly = read[1].startsWith("/api/v1/audit") || read[1].startsWith("/api/v1/api-keys");
            cases.add(new Case("read: " + read[0], "GET", read[1], null, null, adminOnly ? bootstrap : "viewer",
                    Integer.parseInt(read[2])));
        }
        cases.add(new Case("cancel with cascade=maybe", "POST", "/api/v1/tasks/" + OWN_TASK + "/cancel?cascade=maybe", null, null,
                "submitter", 400));
        cases.add(new Case("cancel of an unknown task", "POST", "/api/v1/tasks/" + UUID.randomUUID() + "/cancel", null, null,
                "submitter", 404));
        cases.add(new Case("idempotency key with control characters", "POST", "/api/v1/tasks", "application/json",
                "{\"prompt\": \"p\"}", "submitter+badidem", 400));

        // Who may: missing, broken, revoked and expired keys; roles; other users' tasks.
        cases.add(new Case("no token", "POST", "/api/v1/tasks", "application/json", "{\"prompt\": \"p\"}", null, 401));
        cases.add(new Case("guessed key", "POST", "/api/v1/tasks", "application/json", "{\"prompt\": \"p\"}", "guessed", 401));
        cases.add(new Case("revoked key", "POST", "/api/v1/tasks", "application/json", "{\"prompt\": \"p\"}", "revoked", 401));
        cases.add(new Case("expired key", "POST", "/api/v1/tasks", "application/json", "{\"prompt\": \"p\"}", "expired", 401));
        cases.add(new Case("revoked key reading", "GET", "/api/v1/tasks", null, null, "revoked", 401));
        cases.add(new Case("basic auth", "GET", "/api/v1/tasks", null, null, "basic", 401));
        cases.add(new Case("token with SQL", "GET", "/api/v1/tasks", null, null, "nul", 401));
        cases.add(new Case("token of 6 kB", "GET", "/api/v1/tasks", null, null, "huge", 401));
        cases.add(new Case("viewer submits", "POST", "/api/v1/tasks", "application/json", "{\"prompt\": \"p\"}", "viewer", 403));
        cases.add(new Case("viewer cancels", "POST", "/api/v1/tasks/" + OWN_TASK + "/cancel", null, null, "viewer", 403));
        cases.add(new Case("viewer creates a key", "POST", "/api/v1/api-keys", "application/json",
                "{\"name\": \"x\", \"role\": \"admin\"}", "viewer", 403));
        cases.add(new Case("submitter creates an admin key", "POST", "/api/v1/api-keys", "application/json",
                "{\"name\": \"x\", \"role\": \"admin\"}", "submitter", 403));
        cases.add(new Case("submitter revokes a key", "DELETE", "/api/v1/api-keys/" + UUID.randomUUID(), null, null, "submitter", 403));
        cases.add(new Case("submitter adds a destination", "POST", "/api/v1/notification-destinations", "application/json",
                "{\"name\": \"x\", \"type\": \"webhook\", \"config\": {\"url\": \"https://example.com/h\"}}", "submitter", 403));
        cases.add(new Case("submitter reads the audit log", "GET", "/api/v1/audit", null, null, "submitter", 403));
        cases.add(new Case("worker reads tasks", "GET", "/api/v1/tasks", null, null, "worker", 403));
        cases.add(new Case("worker submits", "POST", "/api/v1/tasks", "application/json", "{\"prompt\": \"p\"}", "worker", 403));
        cases.add(new Case("submitter cancels another's task", "POST", "/api/v1/tasks/" + OTHERS_TASK + "/cancel", null, null,
                "submitter", 403));
        cases.add(new Case("submitter retries another's task", "POST", "/api/v1/tasks/" + OTHERS_TASK + "/retry", null, null,
                "submitter", 403));
        cases.add(new Case("submitter answers another's task", "POST", "/api/v1/tasks/" + OTHERS_TASK + "/answer", "application/json",
                "{\"answer\": \"yes\"}", "submitter", 403));
        cases.add(new Case("submitter resumes another's task", "POST", "/api/v1/tasks/" + OTHERS_TASK + "/resume", null, null,
                "submitter", 403));
        cases.add(new Case("wrong method", "PUT", "/api/v1/tasks", "application/json", "{\"prompt\": \"p\"}", "submitter", 405));
        cases.add(new Case("xml body", "POST", "/api/v1/tasks", "application/xml", "<prompt>p</prompt>", "submitter", 415));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aHostileRequestIsRefusedWithAProblemAndChangesNothing(Case hostile) {
        Map<String, Long> before = counts();

        Response response = request(hostile).request(hostile.method(), resolve(hostile.path()));

        int status = response.statusCode();
        if (hostile.expected() != 0) {
            assertThat(status).as("%s answered %s", hostile.name(), response.asString()).isEqualTo(hostile.expected());
        }
        assertThat(status).as("%s answered %s", hostile.name(), response.asString()).isBetween(400, 499);
        assertThat(response.contentType()).as(hostile.name()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
        assertThat(response.jsonPath().getString("type")).startsWith("https://taskq.dev/problems/");
        assertThat(counts()).as("rows after %s", hostile.name()).isEqualTo(before);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aPromptFullOfShellAndSqlIsStoredAsLiteralText() {
        String prompt = "$(rm -rf /); `id`; ' OR 1=1; DROP TABLE tasks; -- | cat /etc/passwd > /dev/null & \\\\ \"quoted\" 🦀 \u202e";
        String id = client().body(java.util.Map.of("prompt", prompt)).post("/api/v1/tasks").then().statusCode(201)
                .extract().path("id");
        client().get("/api/v1/tasks/" + id).then().statusCode(200).body("prompt", org.hamcrest.Matchers.is(prompt));
        assertThat(queryString("select prompt from tasks where id = ?", UUID.fromString(id))).isEqualTo(prompt);
    }

    @Test
    void hostileMcpCallsAreToolErrorsOrProtocolErrorsAndWriteNothing() {
        Map<String, Long> before = counts();
        String token = token("submitter");
        List<Map<String, Object>> calls = List.of(
                Map.of("prompt", "p", "workingDir", "/srv/../etc"),
                Map.of("prompt", "p", "repo", Map.of("url", "file:///etc")),
                Map.of("prompt", "p", "model", "claude-opus-4-1"),
                Map.of("prompt", "p", "priority", "P9"),
                Map.of("prompt", List.of("p")),
                Map.of("prompt", "p", "dependsOn", List.of("' or 1=1")),
                Map.of("prompt", "a\u0000b"),
                Map.of());
        for (Map<String, Object> arguments : calls) {
            String text = dev.taskq.gateway.mcp.McpClientAccess.callTool(token, "DelegateTask", arguments);
            assertThat(text).as("DelegateTask %s", arguments).isNotBlank();
        }
        assertThat(dev.taskq.gateway.mcp.McpClientAccess.callTool(token("viewer"), "DelegateTask", Map.of("prompt", "p")))
                .contains("submitter");
        assertThat(dev.taskq.gateway.mcp.McpClientAccess.callTool(token, "CancelTask", Map.of("taskId", resolve(OTHERS_TASK))))
                .contains("was not submitted by");
        // Protocol-level garbage: a 4xx from the MCP endpoint, not a 500 (MalformedMessageGuard answers what the MCP
        // extension would fail on: null, an empty batch, scalars).
        for (String body : List.of("{", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": 7}", "{\"jsonrpc\": \"1.0\"}",
                "[]", "null", "7", "\"text\"", "[1, 2]")) {
            int status = given().auth().oauth2(token).contentType("application/json")
                    .accept("application/json, text/event-stream").body(body).post("/mcp").statusCode();
            assertThat(status).as("MCP body %s", body).isBetween(200, 499);
        }
        assertThat(counts()).isEqualTo(before);
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static RequestSpecification request(Case hostile) {
        RequestSpecification request = given();
        String token = hostile.token();
        if (token != null && token.endsWith("+badidem")) {
            token = token.substring(0, token.length() - "+badidem".length());
            request = request.header("Idempotency-Key", "a\tb");
        }
        if ("basic".equals(token)) {
            request = request.auth().preemptive().basic("test-token", "x");
        } else if ("nul".equals(token)) {
            request = request.header("Authorization", "Bearer tq_' OR '1'='1");
        } else if ("huge".equals(token)) {
            request = request.header("Authorization", "Bearer " + "a".repeat(6_000));
        } else if (token != null) {
            request = request.auth().oauth2(token(token));
        }
        if (hostile.contentType() != null) {
            request = request.contentType(hostile.contentType() + "; charset=UTF-8");
        }
        if (hostile.body() != null && hostile.contentType().startsWith("application/x-www-form-urlencoded")) {
            request = request.body(hostile.body());
        } else if (hostile.body() != null) {
            request = request.body(resolve(hostile.body()).getBytes(StandardCharsets.UTF_8));
        }
        return request;
    }

    private static synchronized String token(String name) {
        if (name.equals("test-token") || name.equals("guessed")) {
            return name.equals("guessed") ? "tq_" + "G".repeat(40) : name;
        }
        return tokens.computeIfAbsent(name, role -> switch (role) {
            case "other-submitter" -> createKey("submitter").secret();
            case "revoked" -> {
                Key key = createKey("submitter");
                client().delete("/api/v1/api-keys/" + key.id()).then().statusCode(200);
                yield key.secret();
            }
            case "expired" -> {
                Key key = createKey("submitter", "\"expiresAt\": \"2099-01-01T00:00:00Z\"");
                update("update api_keys set expires_at = now() - interval '1 minute' where id = ?", key.id());
                yield key.secret();
            }
            default -> createKey(role).secret();
        });
    }

    private static synchronized String resolve(String path) {
        String resolved = path;
        if (resolved.contains(OWN_TASK)) {
            resolved = resolved.replace(OWN_TASK, ids.computeIfAbsent(OWN_TASK, ignored -> client(token("submitter"))
                    .body("{\"prompt\": \"the submitter's own task\"}").post("/api/v1/tasks").then().statusCode(201)
                    .extract().path("id")));
        }
        if (resolved.contains(OTHERS_TASK)) {
            resolved = resolved.replace(OTHERS_TASK, ids.computeIfAbsent(OTHERS_TASK, ignored -> client(token("other-submitter"))
                    .body("{\"prompt\": \"someone else's task\"}").post("/api/v1/tasks").then().statusCode(201)
                    .extract().path("id")));
        }
        return resolved;
    }

    private static Map<String, Long> counts() {
        // Create the fixtures first, so creating them is not counted as the case's doing.
        List.of("submitter", "other-submitter", "viewer", "worker", "revoked", "expired").forEach(HostileInputIT::token);
        resolve(OWN_TASK + OTHERS_TASK);
        // One query (and one connection) for every table: the suite counts before and after each of its ~300 cases.
        String[] values = queryString("select concat_ws(',', "
                + String.join(", ", TABLES.stream().map(table -> "(select count(*) from " + table + ")").toList()) + ")")
                .split(",");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < TABLES.size(); i++) {
            counts.put(TABLES.get(i), Long.parseLong(values[i]));
        }
        return counts;
    }
}
