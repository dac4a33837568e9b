package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.cli.client.ApiException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TaskqCliTest {

    @TempDir
    Path home;

    private CliRun run(String... args) {
        return CliRun.run(CliRun.environment(Map.of(), home, ""), args);
    }

    @Test
    void helpListsEveryCommandTheConfigurationAndTheExitCodes() {
        CliRun help = run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("submit", "status", "list", "logs", "answer", "cancel", "retry", "resume", "workflow",
                "schedule", "workers", "TASKQ_SERVER", "TASKQ_TOKEN", "~/.config/taskq/config.properties", "Exit codes:");
        assertThat(help.out()).containsPattern("(?m)^\\s*4\\s+not found").containsPattern("(?m)^\\s*5\\s+server error")
                .containsPattern("(?m)^\\s*6\\s+the task waited for asks a question");
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (String command : List.of("submit", "status", "list", "logs", "answer", "cancel", "retry", "resume", "workers")) {
            assertThat(run(command, "--help").exitCode()).as(command).isZero();
        }
        assertThat(run("workflow", "submit", "--help").out()).contains("dependsOn", "FILE");
        assertThat(run("schedule", "create", "--help").out()).contains("--cron", "--run-at", "--priority", "--overlap-policy");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        assertThat(run().exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun unknown = run("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("frobnicate");
        assertThat(run("workflow").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aMalformedIdIsAUsageErrorBeforeAnyRequestIsSent() {
        CliRun status = run("--server", "http://127.0.0.1:1", "status", "not-a-uuid");

        assertThat(status.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(status.err()).contains("not-a-uuid");
    }

    @Test
    void anUnreachableServerExitsFiveNamingIt() {
        CliRun list = run("list", "--server", "http://127.0.0.1:1");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(list.err()).contains("cannot reach taskq at http://127.0.0.1:1");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        for (String[] args : List.of(
                new String[] {"--server", "http://before:1", "-o", "json", "list"},
                new String[] {"list", "--server", "http://before:1", "--output", "JSON"})) {
            CommandLine cli = TaskqCli.commandLine(CliRun.environment(Map.of(), home, ""));
            cli.parseArgs(args);
            TaskqCommand root = cli.getCommand();
            assertThat(root.client().server()).hasToString("http://before:1");
            assertThat(root.output()).isEqualTo(dev.taskq.cli.output.OutputFormat.JSON);
        }
    }

    @Test
    void aBadServerUrlIsAUsageError() {
        CliRun list = run("--server", "localhost:8080", "list");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err()).contains("must look like http://host:port");
    }

    @Test
    void aValidationProblemPrintsTitleDetailAndEachFieldAndExitsThree() throws Exception {
        ApiException problem = problem(422, """
                {"type":"https://taskq.dev/problems/invalid-schedule","title":"The schedule is invalid","status":422,
                 "detail":"Fix cron and send the request again; nothing was written.",
                 "errors":[{"field":"cron","message":"is not a valid cron expression"}]}""");

        StringWriter err = new StringWriter();
        int code = TaskqCli.exitCodeOf(problem, new PrintWriter(err));

        assertThat(code).isEqualTo(ExitCodes.REJECTED);
        assertThat(err.toString()).isEqualTo("""
                taskq: The schedule is invalid: Fix cron and send the request again; nothing was written.
                  cron: is not a valid cron expression
                """);
    }

    @Test
    void notFoundExitsFourAndAServerErrorFiveWithItsCorrelationId() throws Exception {
        StringWriter err = new StringWriter();
        assertThat(TaskqCli.exitCodeOf(problem(404, "{\"title\":\"Task not found\",\"status\":404,\"detail\":\"No task 1.\"}"),
                new PrintWriter(err))).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(TaskqCli.exitCodeOf(problem(500, "{\"title\":\"Internal server error\",\"status\":500,\"correlationId\":\"c-42\"}"),
                new PrintWriter(err))).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(TaskqCli.exitCodeOf(problem(502, "<html>Bad gateway</html>"), new PrintWriter(err)))
                .isEqualTo(ExitCodes.UNAVAILABLE);

        assertThat(err.toString()).contains("taskq: Task not found: No task 1.", "correlation id: c-42", "taskq: HTTP 502");
    }

    @Test
    void anAuthenticationProblemExitsThreeAndSaysWhereTheTokenComesFrom() throws Exception {
        StringWriter err = new StringWriter();

        int code = TaskqCli.exitCodeOf(problem(401, """
                {"title":"Authentication required","status":401,"detail":"Send a valid API token as 'Authorization: Bearer <token>'."}"""),
                new PrintWriter(err));

        assertThat(code).isEqualTo(ExitCodes.REJECTED);
        assertThat(err.toString()).contains("taskq: Authentication required: Send a valid API token", "TASKQ_TOKEN");
    }

    private static ApiException problem(int status, String body) throws Exception {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = json.readTree(body);
        } catch (Exception e) {
            node = json.getNodeFactory().textNode(body);
        }
        return ApiException.of(status, node);
    }
}
