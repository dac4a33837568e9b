package dev.taskq.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.cli.CliRun;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.TaskqCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How the options of submit and schedule create become request bodies, and which values are refused before sending. */
class RequestOptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPENDENCY = "7b0c3f1e-4f7e-4a58-9c55-0d5b7c1f2a10";

    @TempDir
    Path home;

    private <T> T parse(String stdin, String... args) {
        CommandLine cli = TaskqCli.commandLine(CliRun.environment(Map.of(), home, stdin));
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed.commandSpec().commandLine().getCommand();
    }

    @Test
    void everyTaskOptionLandsInItsFieldOfTheSubmission() {
        SubmitCommand submit = parse("", "submit", "Fix the build",
                "--priority", "P1", "--pool", "gpu", "--working-dir", "/srv/app", "--timeout", "1h30m", "--max-turns", "20",
                "--model", "claude-sonnet-4-5", "--depends-on", DEPENDENCY, "--continue-from", DEPENDENCY,
                "--on-dependency-failure", "skip", "--concurrency-key", "repo:acme/app", "--max-attempts", "1",
                "--metadata", "team=core", "--metadata", "ticket=T-1=2", "--notify", "ops-discord",
                "--max-budget-usd", "2.50", "--allowed-tool", "Bash(git:*)", "--allowed-tool", "Edit", "--disallowed-tool", "WebFetch",
                "--append-system-prompt", "Be brief.", "--permission-mode", "acceptEdits");

        JsonNode body = JSON.valueToTree(submit.request());

        assertThat(body).isEqualTo(JSON.valueToTree(Map.ofEntries(
                Map.entry("prompt", "Fix the build"),
                Map.entry("priority", "P1"),
                Map.entry("pool", "gpu"),
                Map.entry("workingDir", "/srv/app"),
                Map.entry("timeoutSeconds", 5400),
                Map.entry("maxTurns", 20),
                Map.entry("model", "claude-sonnet-4-5"),
                Map.entry("dependsOn", new String[] {DEPENDENCY}),
                Map.entry("continueFrom", DEPENDENCY),
                Map.entry("onDependencyFailure", "skip"),
                Map.entry("concurrencyKey", "repo:acme/app"),
                Map.entry("retry", Map.of("maxAttempts", 1)),
                Map.entry("metadata", Map.of("team", "core", "ticket", "T-1=2")),
                Map.entry("notify", new Object[] {Map.of("destination", "ops-discord")}),
                Map.entry("maxBudgetUsd", new java.math.BigDecimal("2.50")),
                Map.entry("allowedTools", new String[] {"Bash(git:*)", "Edit"}),
                Map.entry("disallowedTools", new String[] {"WebFetch"}),
                Map.entry("appendSystemPrompt", "Be brief."),
                Map.entry("permissionMode", "acceptEdits"))));
    }

    @Test
    void aCommandBecomesACommandTaskAndAnAgentRoleIsSentByName() {
        SubmitCommand argv = parse("", "submit", "--pool", "ci", "--command", "npm", "run", "build");
        SubmitCommand shellLine = parse("", "submit", "Install and test", "--shell", "--command", "npm ci && npm test");
        SubmitCommand review = parse("", "submit", "Review the diff", "--agent", "reviewer");

        assertThat(JSON.valueToTree(argv.request()).toString())
                .isEqualTo("{\"pool\":\"ci\",\"kind\":\"command\",\"command\":[\"npm\",\"run\",\"build\"]}");
        assertThat(JSON.valueToTree(shellLine.request()).toString()).isEqualTo("{\"prompt\":\"Install and test\","
                + "\"kind\":\"command\",\"command\":\"npm ci && npm test\",\"shell\":true}");
        assertThat(JSON.valueToTree(review.request()).toString()).isEqualTo("{\"prompt\":\"Review the diff\",\"agent\":\"reviewer\"}");
    }

    @Test
    void aRepositoryAndItsRefBecomeTheRepoObject() {
        SubmitCommand withRef = parse("", "submit", "Fix it", "--repo", "git@github.com:acme/app.git", "--ref", "release/1.2");
        SubmitCommand withoutRef = parse("", "submit", "Fix it", "--repo", "https://github.com/acme/app.git");

        assertThat(JSON.valueToTree(withRef.request()).toString())
                .isEqualTo("{\"prompt\":\"Fix it\",\"repo\":{\"url\":\"git@github.com:acme/app.git\",\"ref\":\"release/1.2\"}}");
        assertThat(JSON.valueToTree(withoutRef.request()).toString())
                .isEqualTo("{\"prompt\":\"Fix it\",\"repo\":{\"url\":\"https://github.com/acme/app.git\"}}");
        ScheduleCommand.Create scheduled = parse("", "schedule", "create", "--name", "n", "--cron", "@daily",
                "--repo", "https://github.com/acme/app.git", "--ref", "main", "go");
        assertThat(JSON.valueToTree(scheduled.request()).path("task").path("repo").toString())
                .isEqualTo("{\"url\":\"https://github.com/acme/app.git\",\"ref\":\"main\"}");
    }

    @Test
    void aRefWithoutARepositoryIsAUsageErrorBeforeAnyRequest() {
        CliRun run = CliRun.run(CliRun.environment(Map.of(), home, ""), "--server", "http://127.0.0.1:1", "submit", "x", "--ref", "main");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--ref needs --repo");
    }

    @Test
    void optionsNotGivenAreLeftOutForTheApiDefaults() {
        SubmitCommand submit = parse("", "submit", "hello");

        assertThat(JSON.valueToTree(submit.request()).toString()).isEqualTo("{\"prompt\":\"hello\"}");
    }

    @Test
    void aDashPromptIsReadFromStandardInput() {
        SubmitCommand submit = parse("Summarise\nthe README\n", "submit", "-");

        assertThat(submit.request().prompt()).isEqualTo("Summarise\nthe README");
    }

    @Test
    void malformedOptionValuesAreUsageErrors() {
        for (String[] args : new String[][] {
                {"submit", "x", "--metadata", "no-equals-sign"},
                {"submit", "x", "--on-dependency-failure", "explode"},
                {"submit", "x", "--depends-on", "12345"},
                {"submit", "x", "--timeout", "ten minutes"},
                {"submit", "x", "--max-turns", "many"},
                {"submit"},
                {"list", "--status", "DONE"},
                {"list", "--limit", "0"}}) {
            CliRun run = CliRun.run(CliRun.environment(Map.of(), home, ""), args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        }
    }

    @Test
    void aCronScheduleCarriesItsZonePoliciesAndTaskTemplate() {
        ScheduleCommand.Create create = parse("", "schedule", "create", "--name", "nightly", "--cron", "30 2 * * 1-5",
                "--timezone", "Europe/Berlin", "--missed-run-policy", "catchup", "--overlap-policy", "ALLOW", "--max-runs", "3",
                "--pool", "gpu", "Write the nightly report");

        JsonNode body = JSON.valueToTree(create.request());

        assertThat(body.toString()).isEqualTo("{\"name\":\"nightly\",\"cron\":\"30 2 * * 1-5\",\"timezone\":\"Europe/Berlin\","
                + "\"missedRunPolicy\":\"catchup\",\"overlapPolicy\":\"allow\",\"maxRuns\":3,"
                + "\"task\":{\"prompt\":\"Write the nightly report\",\"pool\":\"gpu\"}}");
    }

    @Test
    void aOneTimeScheduleNamesOnlyItsTime() {
        ScheduleCommand.Create create = parse("", "schedule", "create", "--name", "once", "--run-at", "2030-05-01T09:00:00+02:00", "go");

        assertThat(JSON.valueToTree(create.request()).toString())
                .isEqualTo("{\"name\":\"once\",\"runAt\":\"2030-05-01T09:00:00+02:00\",\"task\":{\"prompt\":\"go\"}}");
    }

    @Test
    void aScheduleNeedsExactlyOneOfCronAndRunAt() {
        CliRun both = CliRun.run(CliRun.environment(Map.of(), home, ""),
                "schedule", "create", "--name", "x", "--cron", "@daily", "--run-at", "2030-05-01T09:00:00Z", "go");
        CliRun neither = CliRun.run(CliRun.environment(Map.of(), home, ""), "schedule", "create", "--name", "x", "go");

        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun zoneWithoutCron = CliRun.run(CliRun.environment(Map.of(), home, ""),
                "schedule", "create", "--name", "x", "--timezone", "UTC", "--run-at", "2030-05-01T09:00:00Z", "go");

        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("exactly one of --cron (with --timezone) and --run-at");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zoneWithoutCron.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aWorkflowScheduleSendsTheFilesWorkflowInsteadOfATask() throws Exception {
        Path file = home.resolve("nightly.yaml");
        Files.writeString(file, """
                name: nightly
                tasks:
                  - {ref: build, prompt: Build it}
                  - {ref: test, prompt: Test it, dependsOn: [build]}
                """);
        ScheduleCommand.Create create = parse("", "schedule", "create", "--name", "nightly", "--cron", "@daily",
                "--workflow", file.toString());

        assertThat(JSON.valueToTree(create.request()).toString()).isEqualTo("{\"name\":\"nightly\",\"cron\":\"@daily\","
                + "\"workflow\":{\"name\":\"nightly\",\"tasks\":[{\"ref\":\"build\",\"prompt\":\"Build it\"},"
                + "{\"ref\":\"test\",\"prompt\":\"Test it\",\"dependsOn\":[\"build\"]}]}}");

        CliRun both = CliRun.run(CliRun.environment(Map.of(), home, ""),
                "schedule", "create", "--name", "x", "--cron", "@daily", "--workflow", file.toString(), "go");
        CliRun neither = CliRun.run(CliRun.environment(Map.of(), home, ""), "schedule", "create", "--name", "x", "--cron", "@daily");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("exactly one of PROMPT");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void cancelCascadesUnlessToldNotTo() {
        CancelCommand plain = parse("", "cancel", DEPENDENCY);
        CancelCommand noCascade = parse("", "cancel", DEPENDENCY, "--no-cascade");
        CancelCommand explicit = parse("", "cancel", DEPENDENCY, "--cascade");

        assertThat(plain.cascade).isTrue();
        assertThat(noCascade.cascade).isFalse();
        assertThat(explicit.cascade).isTrue();
    }
}
