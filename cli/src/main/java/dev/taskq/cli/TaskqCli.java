package dev.taskq.cli;

import dev.taskq.cli.client.ApiException;
import dev.taskq.cli.client.UnreachableException;
import dev.taskq.cli.config.ConnectionSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Entry point of the {@code taskq} command-line tool, and the one place its errors become messages and exit codes. */
public final class TaskqCli {

    private TaskqCli() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /**
     * The command line for one invocation against {@code environment}; set its out and err writers to capture
     * what it prints, then {@link CommandLine#execute execute} it.
     */
    public static CommandLine commandLine(CliEnvironment environment) {
        CommandLine cli = new CommandLine(new TaskqCommand(environment));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(TaskqCli::handle);
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpTable());
        return cli;
    }

    /** What one in-process run printed and how it exited. */
    public record Captured(int exitCode, String out, String err) {}

    /** Runs one invocation in this JVM against {@code environment} and captures what it prints (tests, embedding). */
    public static Captured runCaptured(CliEnvironment environment, String... args) {
        CommandLine cli = commandLine(environment);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Captured(code, out.toString(), err.toString());
    }

    private static int handle(Exception e, CommandLine command, ParseResult parsed) {
        return exitCodeOf(e, command.getErr());
    }

    /** Tells the user what went wrong, on {@code err}, and returns the exit code that says it to a script. */
    static int exitCodeOf(Exception e, PrintWriter err) {
        int code = switch (e) {
            case ApiException problem -> {
                printProblem(err, problem);
                yield problem.status() == 404 ? ExitCodes.NOT_FOUND
                        : problem.status() >= 500 ? ExitCodes.UNAVAILABLE
                        : ExitCodes.REJECTED;
            }
            case UnreachableException unreachable -> {
                err.println("taskq: " + unreachable.getMessage());
                yield ExitCodes.UNAVAILABLE;
            }
            case ConnectionSettings.ConfigException config -> {
                err.println("taskq: " + config.getMessage());
                yield ExitCodes.USAGE;
            }
            default -> {
                err.println("taskq: unexpected error: " + e);
                yield ExitCodes.UNAVAILABLE;
            }
        };
        err.flush();
        return code;
    }

    /** {@code title: detail}, then each offending field on its own line. */
    static void printProblem(PrintWriter err, ApiException problem) {
        err.println("taskq: " + problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()));
        for (ApiException.FieldError error : problem.errors()) {
            err.println("  " + (error.field().isEmpty() ? "(body)" : error.field()) + ": " + error.message());
        }
        if (problem.correlationId() != null) {
            err.println("  correlation id: " + problem.correlationId());
        }
        if (problem.status() == 401) {
            err.println("  Set the token with --token, TASKQ_TOKEN or token= in the config file (see taskq --help).");
        }
    }
}
