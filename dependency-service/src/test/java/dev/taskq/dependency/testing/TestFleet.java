package dev.taskq.dependency.testing;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gives every test run a default-pool worker that never goes away, with more slots than any test fills, so tests
 * that are not about capacity see release hand out every ready task as before. Tests about capacity use pools of
 * their own and register the workers they need with {@link Workers}. It starts nothing, and its heartbeat says so:
 * every slot busy (release counts slots, not busy ones), so the dispatch rescue never sends it the default-pool
 * dispatches tests leave unstarted.
 */
@ApplicationScoped
public class TestFleet {

    public static final String WORKER_ID = "test-fleet";

    void register(@Observes StartupEvent event) {
        Workers.alwaysLive(WORKER_ID, 100_000, 100_000, "default");
    }
}
