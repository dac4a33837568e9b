package dev.taskq.scheduler.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The scheduler's metrics. Nothing fires yet (schedules arrive with issue 5), so {@code taskq.schedule.fire.lateness}
 * is registered, and scraped, empty: dashboards and alerts can be written against it now.
 */
@Startup
@ApplicationScoped
public class ScheduleMetrics {

    private final Timer fireLateness;

    public ScheduleMetrics(MeterRegistry registry) {
        this.fireLateness = Timer.builder("taskq.schedule.fire.lateness")
                .description("How late a schedule fired: actual submit time minus its due time")
                .serviceLevelObjectives(
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5))
                .register(registry);
    }

    /** Records one firing that happened {@code lateness} after it was due. */
    public void fired(Duration lateness) {
        fireLateness.record(lateness.isNegative() ? Duration.ZERO : lateness);
    }
}
