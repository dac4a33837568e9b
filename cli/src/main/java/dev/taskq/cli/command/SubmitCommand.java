package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.client.ApiClient;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.client.TaskRequest;
import dev.taskq.cli.output.TaskViews;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq submit PROMPT} or {@code taskq submit --command ARGV...}: POST /api/v1/tasks. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Submit a task: a prompt for a background Claude Code session, or with --command a command to run.")
public final class SubmitCommand extends ApiCommand {

    @Parameters(paramLabel = "PROMPT", arity = "0..1", description = "What the session should do; - reads it from standard "
            + "input. With --command, an optional description.")
    String prompt;

    @Option(names = "--command", paramLabel = "ARG", arity = "1..*",
            description = "Run this command (its argv, without a shell) instead of a session: a command task. It takes every "
                    + "argument up to the next option, so put it last, e.g. --command npm run build.")
    List<String> command = new ArrayList<>();

    @Option(names = "--shell", description = "With --command: run its arguments, joined by spaces, as one line of /bin/sh -c.")
    boolean shell;

    @Mixin
    TaskOptions task;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Submitting again with the same key returns the task the first submission created.")
    String idempotencyKey;

    @Mixin
    WaitOptions waiting;

    @Override
    public Integer call() {
        Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
        ApiClient.Response response = api().post(ApiPaths.TASKS, request(), headers);
        JsonNode created = response.body();
        boolean repeat = response.status() == 200;
        return printOrWatch(created, created, waiting, out -> out.println(
                (repeat ? "Already submitted with this idempotency key: task " : "Submitted task ")
                        + created.path("id").asText() + ": " + TaskViews.status(created)));
    }

    TaskRequest request() {
        if (command.isEmpty()) {
            if (shell) {
                throw usage("--shell needs --command: the command line to run");
            }
            if (prompt == null) {
                throw usage("a PROMPT is required, or --command to run a command");
            }
            return task.toRequest(argumentOrStdin(prompt, "prompt"));
        }
        return task.toRequest(prompt == null ? null : argumentOrStdin(prompt, "description")).asCommand(command, shell);
    }
}
