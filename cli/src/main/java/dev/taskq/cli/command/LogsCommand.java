package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.output.LogPrinter;
import dev.taskq.common.domain.TaskStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq logs ID [-f]}: the paged log, or the live stream until the task ended. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a task's session output.",
                "The model's text as is, other lines tagged by kind ([tool_use], [stderr], ...), a marker where an attempt",
                "starts. With --output json, one log line object per line."})
public final class LogsCommand extends ApiCommand {

    private static final int PAGE = 1000;

    @Parameters(paramLabel = "ID", description = "The task id.")
    UUID id;

    @Option(names = {"-f", "--follow"},
            description = "Keep printing lines as they come until the task ended (status changes on standard error)."
                    + " Exits 1 unless it SUCCEEDED; stops with exit code 6 when it waits for an answer to a question.")
    boolean follow;

    @Override
    public Integer call() {
        LogPrinter printer = new LogPrinter(out(), json());
        if (follow) {
            String status = watcher().follow(id.toString(), printer);
            if (TaskStatus.WAITING_FOR_INPUT.name().equals(status)) {
                tellQuestion(id.toString());
            }
            return exitCode(status);
        }
        long after = 0;
        while (true) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("after", after);
            query.put("limit", PAGE);
            JsonNode page = api().get(ApiPaths.task(id.toString()) + "/logs", query);
            JsonNode items = page.path("items");
            items.forEach(printer::print);
            if (items.isEmpty() || page.path("complete").asBoolean()) {
                return ExitCodes.OK;
            }
            after = page.path("nextCursor").asLong();
        }
    }
}
