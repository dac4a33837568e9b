package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.common.domain.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskq list}: GET /api/v1/tasks, newest first, as many pages as --limit asks for. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks, newest first.")
public final class ListCommand extends ApiCommand {

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "Only tasks in these statuses (repeatable or comma-separated): ${COMPLETION-CANDIDATES}.")
    List<TaskStatus> statuses = new ArrayList<>();

    @Option(names = "--pool", paramLabel = "POOL", description = "Only tasks of this worker pool.")
    String pool;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw usage("--limit must be at least 1");
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("status", statuses.isEmpty() ? null : statuses.stream().map(Enum::name).toList());
        filters.put("pool", pool);
        ObjectNode page = Pager.collect(api(), ApiPaths.TASKS, filters, limit);
        if (json()) {
            printJson(page);
            return ExitCodes.OK;
        }
        JsonNode items = page.path("items");
        if (items.isEmpty()) {
            out().println("No tasks.");
        } else {
            views().taskTable(items).print(out());
        }
        if (page.hasNonNull("nextCursor")) {
            err().println("More tasks match; raise --limit to see them.");
        }
        return ExitCodes.OK;
    }
}
