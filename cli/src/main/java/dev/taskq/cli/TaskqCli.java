package dev.taskq.cli;

import dev.taskq.cli.client.ApiException;
import dev.taskq.cli.client.UnreachableException;
import dev.taskq.cli.config.ConnectionSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.UUID;
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
        // Picocli's own messages for these name the Java exception; a person wants to hear what a valid value looks like.
        cli.registerConverter(UUID.class, TaskqCli::taskId);
        cli.registerConverter(BigDecimal.class, TaskqCli::decimal);
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpTable());
        return cli;
    }

    private static UUID taskId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + printable(value)
                    + "' is not an id; ids are UUIDs such as 3f2a9c1e-0b7d-4c55-9a51-2f0d6c8e4b17");
        }
    }

    private static BigDecimal decimal(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + printable(value) + "' is not a decimal number such as 2.50");
        }
    }

    /** The value with control characters shown as \\uXXXX, so a terminal prints what was given rather than obeys it. */
    private static String printable(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return shown.toString();
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
