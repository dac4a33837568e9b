package dev.taskq.scheduler.domain;

import dev.taskq.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The firing loop: passes of {@link ScheduleFirer} back to back while batches come back full, then a sleep until the
 * earliest due fire time, at most {@code taskq.scheduler.poll-interval} (schedules created meanwhile by the gateway are
 * seen within that interval). Between passes, every {@code taskq.scheduler.settle-interval}, {@link RunSettler} settles
 * the runs whose task or workflow ended; firing comes first, so a backlog of due schedules delays only the notices.
 */
@ApplicationScoped
public class ScheduleLoop {

    private static final Logger LOG = Logger.getLogger(ScheduleLoop.class);

    private final ScheduleFirer firer;
    private final RunSettler settler;
    private final SchedulerConfig config;
    private final Clock clock;
    private volatile Thread thread;
    private Instant nextSettle = Instant.MIN;

    public ScheduleLoop(ScheduleFirer firer, RunSettler settler, SchedulerConfig config, Clock clock) {
        this.firer = firer;
        this.settler = settler;
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.loopEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the loop unless it runs already. */
    public synchronized void start() {
        if (thread == null) {
            // Assigned before it starts: the loop runs only while it is the current thread.
            thread = Thread.ofPlatform().name("schedule-loop").daemon().unstarted(this::run);
            thread.start();
        }
    }

    /** Stops the loop and waits for its current pass to end. */
    public synchronized void stop() {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Thread self = Thread.currentThread();
        while (thread == self) {
            try {
                if (firer.fireDue() >= config.batchSize()) {
                    continue;
                }
                settleWhenDue();
                Thread.sleep(sleepTime(firer.earliestDue()));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (thread != self) {
                    return;
                }
                LOG.warnf("Firing due schedules failed, retrying in %s: %s", config.errorBackoff(), e.toString());
                try {
                    Thread.sleep(config.errorBackoff());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Every settle-interval, settles the runs whose task or workflow ended (announcing the bad endings). */
    private void settleWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSettle)) {
            return;
        }
        while (settler.settleFinished() >= RunSettler.BATCH && thread == Thread.currentThread()) {
            // A full batch: more runs may have ended.
        }
        nextSettle = now.plus(config.settleInterval());
    }

    private Duration sleepTime(Optional<Instant> earliestDue) {
        Duration cap = config.pollInterval();
        if (earliestDue.isEmpty()) {
            return cap;
        }
        Duration untilDue = Duration.between(clock.instant(), earliestDue.get());
        if (untilDue.isNegative()) {
            return Duration.ZERO;
        }
        return untilDue.compareTo(cap) < 0 ? untilDue : cap;
    }
}
