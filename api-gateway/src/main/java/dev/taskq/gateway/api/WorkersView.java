package dev.taskq.gateway.api;

import dev.taskq.common.messaging.TopicNames;
import dev.taskq.gateway.persistence.WorkerQueries;
import dev.taskq.store.persistence.WorkerEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The fleet as GET /api/v1/workers shows it: every worker with its last heartbeat, and each pool's capacity and queue. */
@Schema(name = "Workers")
public record WorkersView(
        @Schema(description = "Every worker that ever sent a heartbeat, by id.")
        List<Worker> workers,
        @Schema(description = "Every pool a worker declared or a QUEUED task names, by name.")
        List<Pool> pools) {

    /** One worker as its last heartbeat described it. */
    @Schema(name = "Worker")
    public record Worker(
            String workerId,
            String host,
            @Schema(description = "The pools it serves; a worker that declares none serves the default pool.")
            List<String> pools,
            int slots,
            int busySlots,
            Instant lastSeenAt,
            @Schema(description = "Its last heartbeat is within the window in which the release counts its slots "
                    + "(taskq.api.workers.release-liveness, 10 s).")
            boolean alive,
            @Schema(description = "The host readings of its last heartbeat; null when it sent none.")
            Resources resources) {}

    /** A worker's host as its resource gate read it. */
    @Schema(name = "WorkerResources")
    public record Resources(
            @Schema(description = "Memory a new session could use, in bytes (the container's limit counted).")
            Long memoryAvailableBytes,
            Long memoryTotalBytes,
            @Schema(description = "Fraction of the CPUs busy over the gate's window, 0 to 1.")
            Double cpuBusy,
            @Schema(description = "One-minute load average.")
            Double load1,
            @Schema(description = "Whether the readings are within the worker's thresholds, so it takes more work than one session.")
            Boolean gateOpen) {

        static Resources of(WorkerEntity row) {
            boolean none = row.memoryAvailableBytes == null && row.memoryTotalBytes == null && row.cpuBusy == null
                    && row.load1 == null && row.gateOpen == null;
            return none ? null : new Resources(row.memoryAvailableBytes, row.memoryTotalBytes, row.cpuBusy, row.load1, row.gateOpen);
        }
    }

    /** A pool's live capacity and its queue. */
    @Schema(name = "WorkerPool")
    public record Pool(
            String pool,
            @Schema(description = "Alive workers serving it.")
            int workers,
            @Schema(description = "Slots of its alive workers; a worker serving several pools counts toward each.")
            int slots,
            @Schema(description = "Busy slots of its alive workers.")
            int busySlots,
            @Schema(description = "Its QUEUED tasks (released when slots free up, or waiting out a retry backoff).")
            long queued) {}

    /** @param aliveAfter a worker whose last heartbeat is after this instant is alive */
    static WorkersView of(WorkerQueries.Fleet fleet, Instant aliveAfter) {
        List<Worker> workers = new ArrayList<>(fleet.workers().size());
        Map<String, Capacity> capacity = new TreeMap<>();
        for (WorkerEntity row : fleet.workers()) {
            List<String> pools = row.pools == null || row.pools.length == 0 ? List.of(TopicNames.DEFAULT_POOL) : List.of(row.pools);
            boolean alive = row.lastSeenAt.isAfter(aliveAfter);
            workers.add(new Worker(row.workerId, row.host, pools, row.slots, row.busySlots, row.lastSeenAt, alive,
                    Resources.of(row)));
            for (String pool : pools) {
                Capacity sums = capacity.computeIfAbsent(pool, name -> new Capacity());
                if (alive) {
                    sums.add(row);
                }
            }
        }
        fleet.queuedByPool().keySet().forEach(pool -> capacity.computeIfAbsent(pool, name -> new Capacity()));
        List<Pool> pools = capacity.entrySet().stream()
                .map(entry -> new Pool(entry.getKey(), entry.getValue().workers, entry.getValue().slots,
                        entry.getValue().busySlots, fleet.queuedByPool().getOrDefault(entry.getKey(), 0L)))
                .toList();
        return new WorkersView(workers, pools);
    }

    /** The sums of one pool's alive workers, while they are added up. */
    private static final class Capacity {
        int workers;
        int slots;
        int busySlots;

        void add(WorkerEntity worker) {
            workers++;
            slots += worker.slots;
            busySlots += worker.busySlots;
        }
    }
}
