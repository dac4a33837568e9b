package dev.taskq.dependency.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.metrics.TaskMetrics;
import dev.taskq.dependency.persistence.AttemptLeases;
import dev.taskq.dependency.persistence.AttemptLeases.ExpiredLease;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Reclaims attempts whose worker stopped sending heartbeats: the attempt fails with cause WORKER_LOST, and the
 * task is queued for another attempt after its backoff while it has attempts left (see {@link LeasePolicy}), or fails.
 * Attempts {@link RescuedAttempts} says count for nothing are left out of that count, and an attempt a dispatch rescue
 * sent to a worker lost before it started it is retried at once, whatever the task's attempts.
 */
@ApplicationScoped
public class LeaseExpiry {

    private static final Logger LOG = Logger.getLogger(LeaseExpiry.class);

    private final AttemptLeases leases;
    private final TaskRepository tasks;
    private final TaskAttemptRepository attempts;
    private final TaskStateWriter stateWriter;
    private final Outbox outbox;
    private final TopicNames topics;
    private final DependencyConfig config;
    private final Counter expired;
    private final TaskMetrics metrics;
    private final RescuedAttempts rescued;

    public LeaseExpiry(
            AttemptLeases leases,
            TaskRepository tasks,
            TaskAttemptRepository attempts,
            TaskStateWriter stateWriter,
            Outbox outbox,
            TopicNames topics,
            DependencyConfig config,
            MeterRegistry registry,
            TaskMetrics metrics,
            RescuedAttempts rescued) {
        this.leases = leases;
        this.rescued = rescued;
        this.tasks = tasks;
        this.attempts = attempts;
        this.stateWriter = stateWriter;
        this.outbox = outbox;
        this.topics = topics;
        this.config = config;
        this.metrics = metrics;
        this.expired = Counter.builder("taskq.lease.expired").description("Attempts whose worker was declared lost").register(registry);
    }

    @Scheduled(every = "${taskq.dependency.lease-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            int handled;
            do {
                handled = QuarkusTransaction.requiringNew().call(this::expireBatch);
            } while (handled == config.leaseCheckBatchSize());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Lease check failed; the next one retries");
        }
    }

    /** Expires one batch of attempts in the caller's transaction; returns how many it handled. */
    int expireBatch() {
        List<ExpiredLease> batch = leases.claimExpired(Instant.now(), config.leaseCheckBatchSize());
        for (ExpiredLease lease : batch) {
            expire(lease);
        }
        expired.increment(batch.size());
        return batch.size();
    }

    private void expire(ExpiredLease lease) {
        TaskEntity task = tasks.findById(lease.taskId());
        Instant now = Instant.now();
        Instant lastRenewed = lease.leaseExpiresAt().minus(config.leaseDuration());
        String attemptReason = LeasePolicy.attemptReason(lease.workerId(), lastRenewed);
        Optional<TaskAttemptEntity> lost = attempts.find(lease.taskId(), lease.attempt());
        // Started: its SessionStarted was applied, or a heartbeat of its worker listed it as running.
        boolean started = lost.map(attempt -> attempt.startedAt != null).orElse(true);
        lost.ifPresent(attempt -> {
            attempt.status = TaskStatus.FAILED;
            attempt.reason = attemptReason;
            attempt.failureCause = FailureCause.WORKER_LOST;
            attempt.finishedAt = now;
            attempt.leaseExpiresAt = null;
        });
        // If the worker is only cut off, not dead, its session must stop before another attempt runs.
        outbox.append(topics.workerCommands(), task.id.toString(), new WorkerCommand(
                WorkerCommand.Type.CANCEL, task.id, lease.attempt(), attemptReason, now));
        boolean holdsTask = lease.attempt() == task.currentAttempt
                && (task.status == TaskStatus.RUNNING || task.status == TaskStatus.DISPATCHED);
        if (!holdsTask) {
            LOG.infof("Closed stale attempt %d of task %s (task is %s at attempt %d)",
                    lease.attempt(), task.id, task.status, task.currentAttempt);
            return;
        }
        if (!started && rescued.sentByRescue(task.id, lease.attempt())) {
            // The dispatch rescue chose this worker, and it vanished before it started the session: no try of the task.
            String reason = "attempt " + lease.attempt() + " was sent by a dispatch rescue to worker " + lease.workerId()
                    + ", which was lost before it started it; not counted, retrying now";
            LOG.infof("Task %s: %s", task.id, reason);
            stateWriter.requeueForRetry(task, FailureCause.WORKER_LOST, now, reason);
            metrics.retried(task, FailureCause.WORKER_LOST);
            return;
        }
        // A dispatch re-sent to a free worker earlier took an attempt number but is no try of the task: not counted.
        LeasePolicy.Decision decision = LeasePolicy.onWorkerLost(task.retryPolicy(),
                rescued.number(task.id, task.currentAttempt), attemptReason, lastRenewed, now, ThreadLocalRandom.current());
        LOG.infof("Task %s attempt %d: %s; task goes %s", task.id, lease.attempt(), attemptReason, decision.next());
        if (decision.next() == TaskStatus.QUEUED) {
            stateWriter.requeueForRetry(task, FailureCause.WORKER_LOST, decision.runAfter(), decision.reason());
            metrics.retried(task, FailureCause.WORKER_LOST);
            return;
        }
        task.failureCause = FailureCause.WORKER_LOST;
        stateWriter.transition(task, decision.next(), decision.reason());
        // The session's end is unknown (its worker vanished), so no duration is recorded.
        metrics.finished(task, decision.next(), null, null);
    }
}
