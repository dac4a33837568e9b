package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.common.domain.TaskStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq status [ID]}: one task in full, or how the most recent tasks stand. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a task in full: status, settings, the question it waits to have answered, result and attempts.",
                "Without an id: how many of the most recent tasks are in each status, and the newest of them."})
public final class StatusCommand extends ApiCommand {

    private static final int NEWEST_SHOWN = 10;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "The task id.")
    UUID id;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "Without an id: how many recent tasks to count (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (id != null) {
            JsonNode task = api().get(ApiPaths.task(id.toString()));
            if (json()) {
                printJson(task);
            } else {
                views().printTask(out(), task);
            }
            return ExitCodes.OK;
        }
        if (limit < 1) {
            throw usage("--limit must be at least 1");
        }
        ObjectNode page = Pager.collect(api(), ApiPaths.TASKS, Map.of(), limit);
        if (json()) {
            printJson(page);
            return ExitCodes.OK;
        }
        JsonNode items = page.path("items");
        if (items.isEmpty()) {
            out().println("No tasks yet.");
            return ExitCodes.OK;
        }
        out().println("Last " + items.size() + " tasks: " + countByStatus(items));
        long asking = 0;
        for (JsonNode item : items) {
            asking += TaskStatus.WAITING_FOR_INPUT.name().equals(item.path("status").asText()) ? 1 : 0;
        }
        if (asking > 0) {
            out().println(asking + (asking == 1 ? " asks" : " ask") + " a question: taskq list --status WAITING_FOR_INPUT shows "
                    + (asking == 1 ? "it" : "them") + ", taskq status ID the question, taskq answer ID TEXT answers it.");
        }
        List<JsonNode> newest = new ArrayList<>();
        for (int i = 0; i < Math.min(NEWEST_SHOWN, items.size()); i++) {
            newest.add(items.get(i));
        }
        out().println();
        views().taskTable(newest).print(out());
        return ExitCodes.OK;
    }

    /** "2 RUNNING, 1 QUEUED, 10 SUCCEEDED", in the order of the lifecycle, statuses with no task left out. */
    static String countByStatus(JsonNode tasks) {
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        int unknown = 0;
        for (JsonNode task : tasks) {
            try {
                counts.merge(TaskStatus.valueOf(task.path("status").asText()), 1, Integer::sum);
            } catch (IllegalArgumentException e) {
                unknown++;
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((status, count) -> parts.add(count + " " + status));
        if (unknown > 0) {
            parts.add(unknown + " other");
        }
        return String.join(", ", parts);
    }
}
