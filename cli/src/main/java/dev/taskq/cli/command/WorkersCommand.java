package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.output.Formats;
import dev.taskq.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code taskq workers}: GET /api/v1/workers, the fleet as the heartbeats describe it. */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = {"List the worker agents: their pools, slots in use and when each was last heard from.",
                "Then each pool's alive workers, busy slots and queued tasks."})
public final class WorkersCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode workers = api().get(ApiPaths.WORKERS);
        if (json()) {
            printJson(workers);
            return ExitCodes.OK;
        }
        Table table = new Table("WORKER", "HOST", "POOLS", "BUSY", "LAST SEEN", "ALIVE");
        for (JsonNode worker : workers.path("workers")) {
            List<String> pools = new ArrayList<>();
            worker.path("pools").forEach(pool -> pools.add(pool.asText()));
            String lastSeen = Formats.age(Formats.instant(worker.path("lastSeenAt")), now());
            table.row(worker.path("workerId"), worker.path("host"), String.join(",", pools),
                    worker.path("busySlots").asInt() + "/" + worker.path("slots").asInt(),
                    lastSeen == null ? null : lastSeen + " ago", worker.path("alive").asBoolean() ? "yes" : "no");
        }
        if (table.isEmpty()) {
            out().println("No workers have reported.");
        } else {
            table.print(out());
        }
        JsonNode pools = workers.path("pools");
        if (!pools.isEmpty()) {
            Table capacity = new Table("POOL", "WORKERS", "BUSY", "QUEUED");
            pools.forEach(pool -> capacity.row(pool.path("pool"), pool.path("workers"),
                    pool.path("busySlots").asInt() + "/" + pool.path("slots").asInt(), pool.path("queued")));
            out().println();
            capacity.print(out());
        }
        return ExitCodes.OK;
    }
}
