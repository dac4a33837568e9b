package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.client.ApiClient;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.client.TaskRequest;
import dev.taskq.cli.output.TaskViews;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq submit PROMPT}: POST /api/v1/tasks. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Submit a task: a prompt for a background Claude Code session.")
public final class SubmitCommand extends ApiCommand {

    @Parameters(paramLabel = "PROMPT", description = "What the session should do; - reads it from standard input.")
    String prompt;

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
        return task.toRequest(argumentOrStdin(prompt, "prompt"));
    }
}
