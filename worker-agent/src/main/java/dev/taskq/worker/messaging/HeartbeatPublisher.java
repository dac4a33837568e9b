package dev.taskq.worker.messaging;

import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.worker.config.ServedPools;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.session.ResourceMonitor;
import dev.taskq.worker.session.SessionSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Publishes this worker's heartbeat on a fixed interval; the dependency-service re-dispatches when it stops. */
@ApplicationScoped
public class HeartbeatPublisher {

    private static final Logger LOG = Logger.getLogger(HeartbeatPublisher.class);

    private final EventPublisher publisher;
    private final SessionSupervisor supervisor;
    private final ResourceMonitor resources;
    private final WorkerIdentity identity;
    private final List<String> pools;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public HeartbeatPublisher(EventPublisher publisher, SessionSupervisor supervisor, ResourceMonitor resources,
            WorkerIdentity identity, ServedPools pools, WorkerConfig config) {
        this.publisher = publisher;
        this.supervisor = supervisor;
        this.resources = resources;
        this.identity = identity;
        this.pools = pools.names();
        this.interval = config.heartbeatInterval();
    }

    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("worker-heartbeat").daemon().factory());
        timer.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The heartbeat as of now, with the host's latest readings; a slot promised to a held direct dispatch counts as busy. */
    public WorkerHeartbeat current() {
        var running = supervisor.runningAttempts();
        return new WorkerHeartbeat(identity.workerId(), identity.host(), Instant.now(), supervisor.slots(),
                supervisor.advertisedBusySlots(), pools, running, resources.resources());
    }

    private void beat() {
        try {
            publisher.publishHeartbeat(current());
        } catch (RuntimeException e) {
            // A missed beat is tolerated; an exception escaping would cancel all later beats.
            LOG.warnf("Could not send a heartbeat: %s", e.getMessage());
        }
    }
}
