package dev.taskq.worker.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns every meter into a no-op when {@code taskq.metrics.enabled=false}. quarkus.micrometer.enabled is fixed at
 * build time, so this is how one packaged build is measured with and without metrics (the benchmark's overhead mode).
 */
public class MetricsSwitch {

    @Produces
    @Singleton
    MeterFilter metricsSwitch(@ConfigProperty(name = "taskq.metrics.enabled", defaultValue = "true") boolean enabled) {
        return enabled ? new MeterFilter() {} : MeterFilter.deny();
    }
}
