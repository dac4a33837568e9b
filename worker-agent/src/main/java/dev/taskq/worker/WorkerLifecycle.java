package dev.taskq.worker;

import dev.taskq.worker.config.ServedPools;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.messaging.CommandListener;
import dev.taskq.worker.messaging.DirectDispatchListener;
import dev.taskq.worker.messaging.DispatchIntake;
import dev.taskq.worker.messaging.HeartbeatPublisher;
import dev.taskq.worker.messaging.WorkerTopics;
import dev.taskq.worker.session.SessionSupervisor;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Starts the worker's loops with the application and stops them in order: no new dispatches, then running
 * sessions get the shutdown grace, then whatever still runs is stopped, checkpointed and handed back (DRAINED) for
 * another worker to pick up at once.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);
    private static final Duration LOOP_STOP_TIMEOUT = Duration.ofSeconds(10);

    private final DispatchIntake intake;
    private final DirectDispatchListener direct;
    private final WorkerTopics workerTopics;
    private final ServedPools pools;
    private final CommandListener commands;
    private final HeartbeatPublisher heartbeats;
    private final SessionSupervisor supervisor;
    private final WorkerIdentity identity;
    private final Duration shutdownGrace;
    private volatile boolean shuttingDown;
    private boolean drained;

    public WorkerLifecycle(DispatchIntake intake, DirectDispatchListener direct, WorkerTopics workerTopics,
            ServedPools pools, CommandListener commands, HeartbeatPublisher heartbeats, SessionSupervisor supervisor,
            WorkerIdentity identity, WorkerConfig config) {
        this.intake = intake;
        this.direct = direct;
        this.workerTopics = workerTopics;
        this.pools = pools;
        this.commands = commands;
        this.heartbeats = heartbeats;
        this.supervisor = supervisor;
        this.identity = identity;
        this.shutdownGrace = config.shutdownGrace();
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("Worker %s on %s starting with %d slot(s) for pool(s) %s",
                identity.workerId(), identity.host(), supervisor.slots(), pools.names());
        // Before the consumers subscribe: a consumer starting at "latest" on a topic that appears only later skips
        // the records published before it noticed. Bounded by taskq.worker.topics.setup-timeout.
        workerTopics.ensureExist();
        heartbeats.start();
        commands.start();
        direct.start();
        intake.start();
    }

    /**
     * SIGTERM, first step (quarkus.shutdown.delay-enabled): Quarkus has stopped nothing yet, so the HTTP server goes
     * on serving readiness (DOWN from now) and the sessions' MCP endpoint while they get their grace.
     */
    void onShutdownSignal(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Drains here if the first step did not (the application stopped another way); otherwise nothing is left. */
    void onStop(@Observes ShutdownEvent event) {
        drain();
    }

    /**
     * Drains the worker (what SIGTERM does): readiness goes DOWN at once, no new dispatch is taken, running sessions
     * get the shutdown grace to finish, and each one still running then is stopped and handed back: reported FAILED
     * with cause DRAINED and its checkpoint, acknowledged by Kafka before the loops stop (and the producer closes),
     * so the dependency-service runs it again elsewhere at once rather than once its lease runs out. Blocks until
     * done, at most about the shutdown grace plus {@link SessionSupervisor#handBackBound()}; a later call waits for
     * the first to end and does nothing more.
     */
    public synchronized void drain() {
        shuttingDown = true;
        if (drained) {
            return;
        }
        drained = true;
        try {
            supervisor.stopAccepting();
            intake.stop(LOOP_STOP_TIMEOUT);
            direct.stop(LOOP_STOP_TIMEOUT);
            if (!supervisor.awaitIdle(shutdownGrace)) {
                // Commands are still heard meanwhile: a cancel arriving now still wins over the hand-back.
                supervisor.handBackAll("worker %s shut down; handed back after the %s shutdown grace "
                        .formatted(identity.workerId(), brief(shutdownGrace))
                        + "(taskq.worker.shutdown-grace): the session was stopped and checkpointed, to be picked up "
                        + "by another worker");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                commands.stop(LOOP_STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeats.stop();
        }
        LOG.infof("Worker %s stopped", identity.workerId());
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** A duration as an operator writes it in the configuration: 20s, 1500ms. */
    static String brief(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
