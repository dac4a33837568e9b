package dev.taskq.worker.metrics;

import dev.taskq.worker.WorkerLifecycle;
import dev.taskq.worker.config.ServedPools;
import dev.taskq.worker.session.SessionSupervisor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * This worker's capacity as gauges: busy and free slots for each pool it serves (a worker in two pools
 * counts in both, as it serves both) and whether it is draining. Read from memory at scrape time.
 */
@ApplicationScoped
public class WorkerGauges {

    private final MeterRegistry registry;
    private final SessionSupervisor supervisor;
    private final WorkerLifecycle lifecycle;
    private final List<String> pools;

    public WorkerGauges(MeterRegistry registry, SessionSupervisor supervisor, WorkerLifecycle lifecycle, ServedPools pools) {
        this.registry = registry;
        this.supervisor = supervisor;
        this.lifecycle = lifecycle;
        this.pools = pools.names();
    }

    void register(@Observes StartupEvent event) {
        for (String pool : pools) {
            Gauge.builder("taskq.worker.slots", supervisor, SessionSupervisor::busySlots)
                    .description("This worker's session slots, by state")
                    .tags("pool", pool, "state", "busy")
                    .register(registry);
            Gauge.builder("taskq.worker.slots", supervisor, SessionSupervisor::freeSlots)
                    .description("This worker's session slots, by state")
                    .tags("pool", pool, "state", "free")
                    .register(registry);
        }
        Gauge.builder("taskq.worker.draining", lifecycle, l -> l.isShuttingDown() ? 1 : 0)
                .description("1 while the worker drains after SIGTERM (not ready, finishing its sessions)")
                .register(registry);
    }
}
