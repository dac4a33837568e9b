package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.output.Table;
import dev.taskq.cli.output.TaskViews;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq retry ID}: POST /api/v1/tasks/{id}/retry, a new task repeating one that failed. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Retry a task that ended FAILED, TIMED_OUT or CANCELLED, as a new task.",
                "The new task has the same prompt and settings; the tasks below it that never ran because of it are",
                "re-created too."})
public final class RetryCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "The task to retry.")
    UUID id;

    @Option(names = "--context", paramLabel = "TEXT",
            description = "Added to the prompt after a blank line, e.g. what to do differently; - reads it from standard input.")
    String context;

    @Option(names = "--dependents", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Re-create the tasks below it that never ran because of it (the default).")
    boolean dependents;

    @Mixin
    WaitOptions waiting;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (context != null) {
            body.put("additionalContext", argumentOrStdin(context, "context"));
        }
        body.put("includeDependents", dependents);
        JsonNode retry = api().post(ApiPaths.task(id.toString()) + "/retry", body).body();
        JsonNode task = retry.path("task");
        return printOrWatch(retry, task, waiting, out -> {
            out.println("Retry task " + task.path("id").asText() + " repeats " + id + ": " + TaskViews.status(task));
            JsonNode recreated = retry.path("recreatedDependents");
            if (!recreated.isEmpty()) {
                out.println("Re-created " + recreated.size() + " task(s) below it:");
                Table table = new Table("ID", "REPLACES", "REF");
                recreated.forEach(dependent -> table.row(dependent.path("id"), dependent.path("retryOf"), dependent.path("workflowRef")));
                table.print(out);
            }
        });
    }
}
