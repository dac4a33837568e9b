package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile command lines the CLI must refuse itself: a usage error (exit 2) naming what is wrong, printed without a
 * stack trace, and no request sent (the server is unreachable, so a request would exit 5 instead).
 */
class HostileArgumentsTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {
            "submit|--timeout|1.5h;rm -rf /|do it",
            "submit|--timeout|-5m|do it",
            "submit|--max-turns|abc|do it",
            "submit|--max-turns|99999999999999|do it",
            "submit|--depends-on|' or 1=1 --|do it",
            "submit|--continue-from|../../etc/passwd|do it",
            "submit|--max-budget-usd|NaN|do it",
            "submit|--metadata|no-equals-sign|do it",
            "status|$(rm -rf /)",
            "logs|../../etc/passwd",
            "cancel|\u0000",
            "answer|not-a-uuid|the answer",
            "retry|00000000-0000-0000-0000-00000000000g",
            "resume|%00",
    })
    void aHostileArgumentIsAUsageErrorBeforeAnyRequest(String line) {
        List<String> args = new ArrayList<>(List.of("--server", "http://127.0.0.1:1", "--token", "t"));
        args.addAll(List.of(line.split("\\|")));

        CliRun run = CliRun.run(CliRun.environment(Map.of(), home, ""), args.toArray(String[]::new));

        assertThat(run.exitCode()).as("%s printed %s", line, run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).as(line).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("\u0000");
    }
}
