package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a task works: a workingDir under an allowed root (the test profile allows /srv and the temp dir) or a repo to
 * clone, never both; every other workspace is refused at submit, naming the field, with nothing written.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WorkspaceSubmissionIT {

    private static final String PROBLEM_JSON = "application/problem+json";

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a dir outside every root        | workingDir | allowed roots            | "workingDir": "/etc/app"
            a sibling that shares a prefix  | workingDir | allowed roots            | "workingDir": "/srv2/app"
            the filesystem root             | workingDir | allowed roots            | "workingDir": "/"
            a parent segment out of a root  | workingDir | '..' segments            | "workingDir": "/srv/app/../../etc"
            a relative dir                  | workingDir | absolute                 | "workingDir": "srv/app"
            a dir and a repo                | repo       | cannot be combined       | "workingDir": "/srv/app", "repo": {"url": "https://github.com/acme/app.git"}
            a repo without a url            | repo.url   | is required              | "repo": {"ref": "main"}
            a plain http url                | repo.url   | https:// or ssh://       | "repo": {"url": "http://github.com/acme/app.git"}
            a remote helper                 | repo.url   | scp-like                 | "repo": {"url": "ext::sh"}
            an option for a url             | repo.url   | must not start with '-'  | "repo": {"url": "--upload-pack=touch"}
            credentials in the url          | repo.url   | credentials              | "repo": {"url": "https://user:token@github.com/acme/app.git"}
            a relative local path           | repo.url   | scp-like                 | "repo": {"url": "repos/app"}
            a ref with a space              | repo.ref   | valid git ref name       | "repo": {"url": "https://github.com/acme/app.git", "ref": "my branch"}
            a ref with ..                   | repo.ref   | '..'                     | "repo": {"url": "https://github.com/acme/app.git", "ref": "main..dev"}
            a ref that is an option         | repo.ref   | '-'                      | "repo": {"url": "https://github.com/acme/app.git", "ref": "--orphan"}
            an empty ref                    | repo.ref   | 1 to 255                 | "repo": {"url": "https://github.com/acme/app.git", "ref": ""}
            a working directory with NUL    | workingDir | NUL                      | "workingDir": "/srv/a\\u0000b"
            """)
    void aWorkspaceOutsideTheRulesIsRefusedWith422AndNothingIsWritten(String what, String field, String message, String fields) {
        long tasksBefore = TestDatabase.count("tasks");

        client().body("{\"prompt\": \"p\", " + fields + "}").post("/api/v1/tasks")
                .then()
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/workspace-not-allowed"))
                .body("detail", containsString(field))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @ParameterizedTest(name = "{0} is a bad request")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown repo field           | repo.branch | not a known field       | "repo": {"url": "https://github.com/acme/app.git", "branch": "main"}
            a repo that is a string         | repo       | an object                | "repo": "https://github.com/acme/app.git"
            """)
    void aMalformedRepoIsABadRequestAndNothingIsWritten(String what, String field, String message, String fields) {
        long tasksBefore = TestDatabase.count("tasks");

        client().body("{\"prompt\": \"p\", " + fields + "}").post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", is("https://taskq.dev/problems/validation"))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));

        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @ParameterizedTest(name = "{0} is accepted")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a dir under a root              | "workingDir": "/srv/checkouts/app"
            a root itself                   | "workingDir": "/srv"
            an https repository             | "repo": {"url": "https://github.com/acme/app.git", "ref": "release/1.2"}
            an ssh repository               | "repo": {"url": "ssh://git@git.example.com:2222/acme/app.git"}
            an scp-like repository          | "repo": {"url": "git@github.com:acme/app.git", "ref": "0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4"}
            a local repository (allowed here) | "repo": {"url": "file:///srv/repos/app.git", "ref": "main"}
            """)
    void aWorkspaceWithinTheRulesIsAccepted(String what, String fields) {
        client().body("{\"prompt\": \"p\", " + fields + "}").post("/api/v1/tasks").then().statusCode(201);
    }

    @Test
    void theTaskViewShowsTheRepositoryAndTheRowKeepsIt() {
        UUID task = Fixtures.submit("""
                {"prompt": "Fix the flaky test", "repo": {"url": "https://github.com/acme/app.git", "ref": "release/1.2"}}""");

        client().get("/api/v1/tasks/" + task).then().statusCode(200)
                .body("repo.url", is("https://github.com/acme/app.git"))
                .body("repo.ref", is("release/1.2"))
                .body("workingDir", nullValue());
        assertThat(Fixtures.queryString("select repo_url || ' ' || repo_ref from tasks where id = ?", task))
                .isEqualTo("https://github.com/acme/app.git release/1.2");

        UUID plain = Fixtures.submit("{\"prompt\": \"p\", \"workingDir\": \"/srv/app\"}");
        client().get("/api/v1/tasks/" + plain).then().body("repo", nullValue()).body("workingDir", is("/srv/app"));
    }

    @Test
    void aRepositoryWithoutARefUsesTheDefaultBranch() {
        UUID task = Fixtures.submit("{\"prompt\": \"p\", \"repo\": {\"url\": \"git@github.com:acme/app.git\"}}");

        client().get("/api/v1/tasks/" + task).then().body("repo.url", is("git@github.com:acme/app.git")).body("repo.ref", nullValue());
    }

    @Test
    void aWorkflowTaskNamesItsRepositoryOrIsRefusedNamingIt() {
        String created = client().body("""
                {"name": "repos", "tasks": [
                  {"ref": "build", "prompt": "Build it", "repo": {"url": "https://github.com/acme/app.git", "ref": "main"}},
                  {"ref": "test", "prompt": "Test it", "dependsOn": ["build"], "workingDir": "/srv/app"}]}""")
                .post("/api/v1/workflows").then().statusCode(201).extract().path("tasks[0].id");
        assertThat(Fixtures.queryString("select repo_url from tasks where id = ?", UUID.fromString(created)))
                .isEqualTo("https://github.com/acme/app.git");

        long workflowsBefore = TestDatabase.count("workflows");
        long tasksBefore = TestDatabase.count("tasks");
        client().body("""
                {"tasks": [
                  {"ref": "a", "prompt": "p", "repo": {"url": "http://github.com/acme/app.git"}},
                  {"ref": "b", "prompt": "p", "workingDir": "/etc"}]}""")
                .post("/api/v1/workflows").then()
                .statusCode(422).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("tasks[0].repo.url"))
                .body("errors.field", hasItem("tasks[1].workingDir"));
        assertThat(TestDatabase.count("workflows")).isEqualTo(workflowsBefore);
        assertThat(TestDatabase.count("tasks")).isEqualTo(tasksBefore);
    }

    @Test
    void aScheduleAndAPipelineCheckTheirTemplatesWorkspaces() {
        client().body("""
                {"name": "nightly", "cron": "@daily", "task": {"prompt": "p", "repo": {"url": "git@github.com:acme/app.git", "ref": "main"}}}""")
                .post("/api/v1/schedules").then().statusCode(201)
                .body("task.repo.url", is("git@github.com:acme/app.git"))
                .body("task.repo.ref", is("main"));

        long schedulesBefore = TestDatabase.count("schedules");
        client().body("""
                {"name": "bad", "cron": "@daily", "task": {"prompt": "p", "repo": {"url": "https://github.com/acme/app.git", "ref": "a..b"}}}""")
                .post("/api/v1/schedules").then().statusCode(422).body("errors.field", hasItem("task.repo.ref"));
        client().body("""
                {"name": "bad", "steps": [{"task": {"prompt": "p", "workingDir": "/opt/app"}}]}""")
                .post("/api/v1/pipelines").then().statusCode(422).body("errors.field", hasItem("steps[0].task.workingDir"));
        assertThat(TestDatabase.count("schedules")).isEqualTo(schedulesBefore);
    }
}
