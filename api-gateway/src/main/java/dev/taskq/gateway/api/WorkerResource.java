package dev.taskq.gateway.api;

import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.persistence.WorkerQueries;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Shows the worker fleet: each worker's last heartbeat, and each pool's slots and queue. Read-only. */
@Path(WorkerResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Workers")
public class WorkerResource {

    static final String PATH = "/api/v1/workers";

    private final WorkerQueries queries;
    private final Duration liveness;

    public WorkerResource(WorkerQueries queries, GatewayConfig config) {
        this.queries = queries;
        this.liveness = config.workers().releaseLiveness();
    }

    @GET
    @Operation(summary = "List workers and pools", description = """
            Every worker that ever sent a heartbeat (dependency-service keeps its last one), alive while that heartbeat \
            is as recent as the release requires; and per pool the alive workers, their slots and busy slots, and the \
            QUEUED tasks.""")
    @APIResponse(responseCode = "200", description = "The workers and pools",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkersView.class)))
    public WorkersView listWorkers() {
        return WorkersView.of(queries.fleet(), Instant.now().minus(liveness));
    }
}
