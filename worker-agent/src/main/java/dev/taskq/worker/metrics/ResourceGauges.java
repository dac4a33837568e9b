package dev.taskq.worker.metrics;

import dev.taskq.worker.domain.ResourceReadings;
import dev.taskq.worker.session.ResourceMonitor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Function;

/** The resource gate as gauges: whether it is open and the readings it decides on (NaN while one is unknown). */
@ApplicationScoped
public class ResourceGauges {

    private final MeterRegistry registry;
    private final ResourceMonitor monitor;

    public ResourceGauges(MeterRegistry registry, ResourceMonitor monitor) {
        this.registry = registry;
        this.monitor = monitor;
    }

    void register(@Observes StartupEvent event) {
        Gauge.builder("taskq.worker.gate.open", monitor, m -> m.isOpen() ? 1 : 0)
                .description("1 while the host's readings are within the resource gate's thresholds")
                .register(registry);
        reading("taskq.worker.memory.available", "bytes", "Memory a new session could use", ResourceReadings::memoryAvailableBytes);
        reading("taskq.worker.memory.total", "bytes", "The host's memory, or the container's limit when lower",
                ResourceReadings::memoryTotalBytes);
        reading("taskq.worker.cpu.busy", null, "Fraction of the CPUs busy over the gate's window", ResourceReadings::cpuBusy);
        reading("taskq.worker.load1", null, "The host's one-minute load average", ResourceReadings::load1);
    }

    private void reading(String name, String unit, String description, Function<ResourceReadings, Number> value) {
        Gauge.builder(name, monitor, m -> {
                    Number number = value.apply(m.readings());
                    return number == null ? Double.NaN : number.doubleValue();
                })
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }
}
