package dev.taskq.dependency.domain;

import dev.taskq.dependency.config.DependencyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs {@link ReleaseService} as soon as a task becomes ready or a slot comes free (woken by the {@code taskq_ready}
 * listener), when a heartbeat brings new capacity, and every {@code release-interval} as a safety net (which is
 * also what releases a retry once its backoff has passed), then wakes the outbox relay.
 */
@ApplicationScoped
public class ReleaseLoop {

    private static final Logger LOG = Logger.getLogger(ReleaseLoop.class);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private final ReleaseService releaseService;
    private final Wakeups wakeups;
    private final DependencyConfig config;
    private volatile boolean running;
    private Thread thread;

    public ReleaseLoop(ReleaseService releaseService, Wakeups wakeups, DependencyConfig config) {
        this.releaseService = releaseService;
        this.wakeups = wakeups;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().name("release-loop").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    private void run() {
        while (running) {
            try {
                wakeups.release().await(config.releaseInterval());
                releaseAll();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Release pass failed; retrying in %s", ERROR_PAUSE);
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private void releaseAll() {
        int total = 0;
        ReleaseService.Pass pass;
        do {
            pass = releaseService.releasePass(config.releaseBatchSize());
            total += pass.dispatched();
            if (pass.dispatched() > 0) {
                // Publish this batch while the next is claimed: the first record should not wait for the last.
                wakeups.relay().signal();
            }
            // Ends: each repeat dispatched something, and the budget or the queue runs out.
        } while (pass.more() && running);
        if (total > 0) {
            LOG.debugf("Released %d tasks", total);
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(ERROR_PAUSE);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
