package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.output.TaskViews;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq cancel ID}: POST /api/v1/tasks/{id}/cancel. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a task that has not ended; a worker running it kills the session.")
public final class CancelCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "The task id.")
    UUID id;

    @Option(names = "--cascade", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Also cancel every task waiting on it (the default). With --no-cascade each waiting task",
                    "reacts by its --on-dependency-failure policy instead."})
    boolean cascade;

    @Override
    public Integer call() {
        JsonNode task = api().post(ApiPaths.task(id.toString()) + "/cancel?cascade=" + cascade, null).body();
        if (json()) {
            printJson(task);
        } else {
            out().println("Cancelled task " + task.path("id").asText() + (cascade ? " and every task waiting on it" : "")
                    + ": " + TaskViews.status(task));
        }
        return ExitCodes.OK;
    }
}
