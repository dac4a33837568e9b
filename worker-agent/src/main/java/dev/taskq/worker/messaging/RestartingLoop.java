package dev.taskq.worker.messaging;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A platform thread that runs one consumer session after another until stopped: a session that fails (the
 * broker went away, a rebalance error) is logged and started afresh after a short delay.
 */
final class RestartingLoop {

    private static final Logger LOG = Logger.getLogger(RestartingLoop.class);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    private final String name;
    private final Runnable session;
    private volatile boolean stopRequested;
    private Thread thread;

    RestartingLoop(String name, Runnable session) {
        this.name = name;
        this.session = session;
    }

    synchronized void start() {
        stopRequested = false;
        thread = Thread.ofPlatform().name(name).start(this::run);
    }

    /** Sessions check this between polls and return when it is set. */
    boolean stopRequested() {
        return stopRequested;
    }

    void stop(Duration timeout) throws InterruptedException {
        stopRequested = true;
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.join(timeout);
        }
    }

    private void run() {
        while (!stopRequested) {
            try {
                session.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed; restarting it in %s", name, RESTART_DELAY);
                try {
                    Thread.sleep(RESTART_DELAY);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
