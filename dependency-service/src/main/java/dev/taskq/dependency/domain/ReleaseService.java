package dev.taskq.dependency.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.messaging.TopicSetup;
import dev.taskq.dependency.metrics.TaskMetrics;
import dev.taskq.dependency.persistence.ReleaseCapacity;
import dev.taskq.dependency.persistence.ReleaseCapacity.Fleet;
import dev.taskq.dependency.persistence.ReleaseClaim;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.TaskEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Releases QUEUED tasks, pool by pool: each claimed task gets a new attempt and a dispatch record in the outbox,
 * in one transaction, so the record is published if and only if the claim commits.
 *
 * <p>With capacity bounding on, a pool gets only as many dispatches as its live workers have free slots (plus a
 * small margin), so the backlog stays in Postgres, where it is ordered by effective priority; a task submitted
 * later but more urgent is the next to start. Safe with several replicas: a pool is released by one of them at a
 * time (an advisory lock, so the budget is counted once), SKIP LOCKED hands concurrent claims disjoint rows, and
 * the (task_id, attempt) primary key refuses a second attempt row.
 */
@ApplicationScoped
public class ReleaseService {

    /**
     * What one pass over the pools did.
     *
     * @param dispatched tasks dispatched
     * @param more whether some pool filled a whole batch, so more may be releasable right away
     */
    public record Pass(int dispatched, boolean more) {}

    private record PoolBatch(int claimed, int dispatched) {
        static final PoolBatch NONE = new PoolBatch(0, 0);
    }

    private final ReleaseClaim claim;
    private final ReleaseCapacity capacity;
    private final TaskStateWriter stateWriter;
    private final DispatchWriter dispatches;
    private final TopicSetup topicSetup;
    private final DependencyConfig config;
    private final TaskMetrics metrics;

    public ReleaseService(
            ReleaseClaim claim,
            ReleaseCapacity capacity,
            TaskStateWriter stateWriter,
            DispatchWriter dispatches,
            TopicSetup topicSetup,
            DependencyConfig config,
            TaskMetrics metrics) {
        this.claim = claim;
        this.capacity = capacity;
        this.stateWriter = stateWriter;
        this.dispatches = dispatches;
        this.topicSetup = topicSetup;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * One pass: each pool that may take work gets up to {@code batchSize} tasks (fewer when its free capacity is
     * smaller), in a transaction of its own, so one pool's failure does not hold back the others.
     */
    public Pass releasePass(int batchSize) {
        Fleet fleet = liveFleet();
        int dispatched = 0;
        boolean more = false;
        for (String pool : poolsToRelease(fleet)) {
            // Outside the transaction: creating topics waits on Kafka, and the relay needs them before it publishes.
            if (!topicSetup.ensurePoolTopics(pool)) {
                continue;
            }
            PoolBatch batch = QuarkusTransaction.requiringNew().call(() -> releasePool(pool, fleet, batchSize));
            dispatched += batch.dispatched();
            // A full batch that dispatched nothing was all held back (keys taken elsewhere): going on would repeat it.
            more |= batch.claimed() == batchSize && batch.dispatched() > 0;
        }
        return new Pass(dispatched, more);
    }

    /**
     * Releases in the caller's transaction, the same way as a pass but without creating topics: the transaction that
     * ended attempts (freeing their slots) and queued their dependents hands those out before it commits, which spares
     * the edge a transaction and a thread hop. A pool that another transaction is releasing is left to it, as is
     * whatever this batch cannot take; the release loop, woken when this transaction commits, takes the rest.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int releaseInCurrentTransaction(int batchSize) {
        Fleet fleet = liveFleet();
        int dispatched = 0;
        for (String pool : poolsToRelease(fleet)) {
            if (topicSetup.hasPoolTopics(pool)) {
                dispatched += releasePool(pool, fleet, batchSize).dispatched();
            }
        }
        return dispatched;
    }

    private Fleet liveFleet() {
        return capacity.liveFleet(Instant.now().minus(config.release().workerLiveness()));
    }

    /** A pool no live worker serves keeps its tasks QUEUED when capacity bounds the release: nobody could take them. */
    private Collection<String> poolsToRelease(Fleet fleet) {
        return config.release().capacityBounded() ? fleet.slotsByPool().keySet() : claim.queuedPools();
    }

    private PoolBatch releasePool(String pool, Fleet fleet, int batchSize) {
        // Any task may use the first budget; P0 tasks also the urgent one beyond it (see urgentOvercommit).
        int limit = batchSize;
        int urgentLimit = batchSize;
        if (config.release().capacityBounded()) {
            if (!capacity.tryLockPool(pool)) {
                // Another replica is releasing this pool; it was woken by the same notification.
                return PoolBatch.NONE;
            }
            // Counted under the pool lock, so it includes whatever another replica dispatched before.
            int free = fleet.slotsByPool().getOrDefault(pool, 0) - capacity.inFlight(pool);
            limit = Math.min(batchSize, free + config.release().margin());
            urgentLimit = Math.min(batchSize, free + config.release().margin() + config.release().urgentOvercommit());
            if (urgentLimit <= 0) {
                return PoolBatch.NONE;
            }
        }
        Instant now = Instant.now();
        // With the first budget spent only P0 tasks may go: claim (and lock) nothing else.
        int minPriority = limit > 0 ? PriorityClass.MIN_PRIORITY : PriorityClass.P0.lowestPriority();
        List<TaskEntity> claimed = claim.claimQueued(pool, Math.max(limit, urgentLimit), now, minPriority);
        Set<String> keysSeen = new HashSet<>();
        int dispatched = 0;
        for (TaskEntity task : claimed) {
            // Claimed most urgent first, so once the first budget is spent no P0 follows a task held back here.
            boolean urgent = PriorityClass.of(task.effectivePriority) == PriorityClass.P0;
            if (dispatched >= (urgent ? urgentLimit : limit)) {
                continue;
            }
            // Only the first (most urgent) task of a key in this batch may go, and only if no replica has one in flight;
            // the others stay QUEUED and their row locks end with the transaction.
            if (task.concurrencyKey != null
                    && !(keysSeen.add(task.concurrencyKey) && claim.tryTakeConcurrencyKey(task.concurrencyKey))) {
                continue;
            }
            dispatch(task, fleet, now);
            dispatched++;
        }
        return new PoolBatch(claimed.size(), dispatched);
    }

    private void dispatch(TaskEntity task, Fleet fleet, Instant now) {
        boolean resumeOnItsWorker = task.resumeSessionId != null && canResumeOnItsWorker(task, fleet);
        // Built before the new attempt is opened: it may tell the session about the attempt before this one.
        String prompt = dispatches.prompt(task, resumeOnItsWorker);
        stateWriter.transition(task, TaskStatus.DISPATCHED, null);
        // A resume goes to the worker holding its transcript, which owns the attempt from now (see DispatchWriter.open).
        dispatches.open(task, prompt, resumeOnItsWorker ? task.resumeWorkerId : null,
                resumeOnItsWorker ? task.resumeSessionId : null, now);
        metrics.released(task);
    }

    /**
     * A resume (of another task's session, or of this task's own session that asked a question) goes to the worker
     * holding its transcript while that worker is live, unless the last attempt already failed because the session was
     * unavailable there, the worker was lost, or it handed the attempt back on shutdown: retrying the same way would
     * fail again.
     */
    static boolean canResumeOnItsWorker(TaskEntity task, Fleet fleet) {
        boolean sameWayFailedBefore = task.currentAttempt > 0
                && (task.failureCause == FailureCause.SESSION_UNAVAILABLE
                        || task.failureCause == FailureCause.WORKER_LOST
                        || task.failureCause == FailureCause.DRAINED);
        return !sameWayFailedBefore && fleet.isLive(task.resumeWorkerId);
    }
}
