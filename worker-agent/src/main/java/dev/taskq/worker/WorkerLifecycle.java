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
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Starts the worker's loops with the application and stops them in order: no new dispatches, then running
 * sessions get the shutdown grace, then whatever still runs is killed without a report.
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

    void onStop(@Observes ShutdownEvent event) {
        drain();
    }

    /**
     * Drains the worker (what SIGTERM does): readiness goes DOWN at once, no new dispatch is taken, running sessions
     * get the shutdown grace, then the loops stop. Blocks until done; a second call returns quickly.
     */
    public void drain() {
        shuttingDown = true;
        try {
            supervisor.stopAccepting();
            intake.stop(LOOP_STOP_TIMEOUT);
            direct.stop(LOOP_STOP_TIMEOUT);
            if (!supervisor.awaitIdle(shutdownGrace)) {
                // The dependency-service re-dispatches attempts whose worker stops sending heartbeats.
                supervisor.abandonAll();
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
}
