package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.output.TaskViews;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq resume ID}: POST /api/v1/tasks/{id}/resume, a new task continuing an ended task's session. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue the Claude session of a task that ended, as a new task (claude --resume on the worker that ran it).")
public final class ResumeCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "The task whose session to continue.")
    UUID id;

    @Option(names = "--context", paramLabel = "TEXT",
            description = "The prompt of the resumed session (default \"Continue where you left off.\"); - reads it from standard input.")
    String context;

    @Mixin
    WaitOptions waiting;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (context != null) {
            body.put("additionalContext", argumentOrStdin(context, "context"));
        }
        JsonNode task = api().post(ApiPaths.task(id.toString()) + "/resume", body).body();
        return printOrWatch(task, task, waiting, out -> out.println("Resume task " + task.path("id").asText()
                + " continues the session of " + id + ": " + TaskViews.status(task)));
    }
}
