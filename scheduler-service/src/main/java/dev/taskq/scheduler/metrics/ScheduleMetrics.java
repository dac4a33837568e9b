package dev.taskq.scheduler.metrics;

import dev.taskq.common.schedule.RunOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The scheduler's metrics: how late schedules fire, and how many runs of each outcome it recorded. */
@Startup
@ApplicationScoped
public class ScheduleMetrics {

    private final Timer fireLateness;
    private final Map<RunOutcome, Counter> runs = new EnumMap<>(RunOutcome.class);

    public ScheduleMetrics(MeterRegistry registry) {
        this.fireLateness = Timer.builder("taskq.schedule.fire.lateness")
                .description("How late a schedule fired: actual submit time minus its due time")
                .serviceLevelObjectives(
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5))
                .register(registry);
        for (RunOutcome outcome : RunOutcome.values()) {
            runs.put(outcome, Counter.builder("taskq.schedule.runs")
                    .description("Schedule runs recorded, by outcome (FIRED created a task)")
                    .tag("outcome", outcome.name())
                    .register(registry));
        }
    }

    /** Records one firing that happened {@code lateness} after it was due. */
    public void fired(Duration lateness) {
        fireLateness.record(lateness.isNegative() ? Duration.ZERO : lateness);
    }

    /** Counts one recorded run. */
    public void run(RunOutcome outcome) {
        runs.get(outcome).increment();
    }
}
