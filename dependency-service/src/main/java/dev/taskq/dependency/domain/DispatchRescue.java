package dev.taskq.dependency.domain;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.metrics.TaskMetrics;
import dev.taskq.dependency.persistence.StuckDispatches;
import dev.taskq.dependency.persistence.StuckDispatches.FreeWorker;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Re-sends a dispatch stuck behind a full worker to a worker of its pool that has a free slot.
 *
 * <p><b>Why.</b> Workers consume the shared dispatch topics as one consumer group, each owning some partitions, and a
 * worker whose slots are all taken pauses its partitions. A dispatch that lands in one of them waits for that worker's
 * next free slot (an hour, for a long session) while another worker of the pool sits idle. So every
 * {@code dispatch-rescue.interval} this looks for tasks DISPATCHED on a shared topic longer than
 * {@code dispatch-rescue.after} whose current attempt has not started, and for live workers of their pools whose last
 * heartbeat reports a free slot that no other dispatch was sent to ({@link StuckDispatches#freeWorkers}). Each such
 * task, most urgent first, gets one of those slots: in one transaction its waiting attempt is closed CANCELLED with the
 * reason (e.g. {@code not picked up in 12.0s while worker w-2 had a free slot; sent to it directly as attempt 2}), a
 * {@code WorkerCommand(CANCEL)} for that attempt goes to the outbox, and a new attempt is opened and dispatched on
 * {@code tasks.direct} to that worker, which owns it with a lease, exactly like a resume ({@link DispatchWriter}). The
 * task stays DISPATCHED: no transition, so the state table is untouched, and it keeps its place in the release budget
 * and its concurrency key.
 *
 * <p><b>A target that does not start it.</b> A free slot in a heartbeat is a promise, not a guarantee: the worker may
 * be draining after SIGTERM (its consumers stopped, its heartbeats still saying it has room) or may have filled up
 * since, holding the dispatch until a slot frees. A worker sitting on a dispatch sent to it that it has not started for
 * {@code after} gets no more, and the dispatch, if a rescue sent it, is withdrawn again the same way and sent to
 * another free worker (the reason then reads {@code not started by worker w-3 in 10.2s while worker w-4 ...}). A resume
 * sent to the worker holding its session is never taken from it. A task is rescued at most
 * {@link StuckDispatches#MAX_RESCUES_PER_TASK} times, so it cannot hop for ever between workers that never start what
 * they are sent.
 *
 * <p><b>Started, but not known yet.</b> The rescue acts on the absence of a start, so it must not mistake a start
 * whose {@code SessionStarted} still waits behind a backlog of task events (log bursts travel that topic too) for a
 * dispatch nobody took: heartbeats, which have a consumer of their own, list the attempts a worker runs, and
 * {@code AttemptLeases.markRunning} records such an attempt as started by that worker at once, which takes it out of
 * the rescue's reach. Only a start neither event nor heartbeat has reported within {@code after} can be withdrawn; its
 * session is then cancelled and the task runs on the free worker, fenced as below. Likewise a dispatch still in the
 * outbox is not stuck, only late: no pass runs while the relay is more than {@code after} behind.
 *
 * <p><b>The stale record.</b> The old record is still in the full worker's paused partition. Every worker hears every
 * CANCEL and remembers the cancelled attempt, also one it never saw ({@code SessionSupervisor.cancel}), for
 * {@code taskq.worker.attempt-memory}; when it reads the record it refuses it as cancelled before start and commits past
 * it. Should it read it after forgetting the cancel, it starts the stale attempt, and its {@code SessionStarted} is
 * answered with a CANCEL like any superseded attempt's ({@link AttemptFencing}). If the record is taken at the very
 * moment of the rescue, the same happens: the task row is locked here, the start is applied after this commit and
 * fenced off. Either way only the new attempt's events change the task.
 *
 * <p><b>A rescue is not a try.</b> The withdrawn attempt never started, so it must not use up the task's attempts:
 * {@link RescuedAttempts} recognises it (CANCELLED, never started, no failure cause) and every retry decision counts
 * attempts without it ({@link AttemptNumber}; {@link LeaseExpiry}, {@link TaskEventApplier}), as does the hand-back
 * cap. A task with {@code maxAttempts = 1} that was rescued runs its attempt 2 as its first counted attempt: a success
 * ends it SUCCEEDED like any other (success never looks at the count); a retryable failure, or a lost worker once the
 * session started, leaves it with no attempt to spare, exactly as attempt 1 would have. A task with
 * {@code maxAttempts = 2} whose rescued attempt's worker dies is lost on its counted attempt 1 and retried. A target
 * that does not start its dispatch but keeps heartbeating (a draining worker) loses it to another rescue, uncounted,
 * before its lease can run out; one that dies outright before starting it loses its lease like a resume's target, and
 * that lost attempt counts. The next attempt after a rescue either starts (and then counts) or is itself rescued, at
 * most {@link StuckDispatches#MAX_RESCUES_PER_TASK} times: rescues cannot loop.
 *
 * <p><b>Replicas.</b> A pass takes an advisory lock (a replica that finds it taken skips the pass), so the free slots
 * are counted and promised once; the tasks are claimed with SKIP LOCKED, and the attempt key refuses a second new
 * attempt.
 */
@ApplicationScoped
public class DispatchRescue {

    private static final Logger LOG = Logger.getLogger(DispatchRescue.class);

    private final StuckDispatches stuck;
    private final TaskAttemptRepository attempts;
    private final DispatchWriter dispatches;
    private final Outbox outbox;
    private final TopicNames topics;
    private final DependencyConfig config;
    private final TaskMetrics metrics;

    public DispatchRescue(
            StuckDispatches stuck,
            TaskAttemptRepository attempts,
            DispatchWriter dispatches,
            Outbox outbox,
            TopicNames topics,
            DependencyConfig config,
            TaskMetrics metrics) {
        this.stuck = stuck;
        this.attempts = attempts;
        this.dispatches = dispatches;
        this.outbox = outbox;
        this.topics = topics;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${taskq.dependency.dispatch-rescue.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.dispatchRescue().enabled()) {
            return;
        }
        try {
            int rescued;
            do {
                rescued = rescuePass(Instant.now());
                // Ends: a full batch used up that many free slots, which the next pass no longer counts.
            } while (rescued == config.dispatchRescue().batchSize());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Dispatch rescue failed; the next one retries");
        }
    }

    /** One pass as of {@code now}, in a transaction of its own; returns how many dispatches it re-sent. */
    int rescuePass(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> rescue(now));
    }

    private int rescue(Instant now) {
        if (!stuck.tryLock()) {
            return 0;
        }
        if (stuck.relayBehind(config.dispatchRescue().after())) {
            // Re-sending now would only queue more records behind a dispatch a worker may yet take.
            LOG.debug("Dispatch rescue skipped: the outbox relay is behind");
            return 0;
        }
        Instant waitedSince = now.minus(config.dispatchRescue().after());
        List<FreeWorker> workers = stuck.freeWorkers(now.minus(config.release().workerLiveness()), waitedSince);
        if (workers.isEmpty()) {
            return 0;
        }
        Map<String, Integer> free = new HashMap<>();
        Set<String> pools = new TreeSet<>();
        int totalFree = 0;
        for (FreeWorker worker : workers) {
            free.put(worker.workerId(), worker.free());
            pools.addAll(worker.pools());
            totalFree += worker.free();
        }
        List<TaskEntity> waiting =
                stuck.claim(pools, waitedSince, Math.min(totalFree, config.dispatchRescue().batchSize()));
        int rescued = 0;
        for (TaskEntity task : waiting) {
            // The worker of the task's pool with the most slots left, so rescues spread over idle workers.
            Optional<FreeWorker> target = workers.stream()
                    .filter(worker -> worker.pools().contains(task.pool) && free.get(worker.workerId()) > 0)
                    .max(Comparator.comparingInt(worker -> free.get(worker.workerId())));
            if (target.isEmpty()) {
                // Its pool's free slots went to more urgent tasks of this pass; its row lock ends with the transaction.
                continue;
            }
            resend(task, target.get().workerId(), now);
            free.merge(target.get().workerId(), -1, Integer::sum);
            rescued++;
        }
        return rescued;
    }

    private void resend(TaskEntity task, String workerId, Instant now) {
        TaskAttemptEntity waited = attempts.find(task.id, task.currentAttempt).orElseThrow(() ->
                new IllegalStateException("task " + task.id + " has no row for its current attempt " + task.currentAttempt));
        int withdrawn = task.currentAttempt;
        String waitedFor = seconds(Duration.between(waited.dispatchedAt, now));
        // A shared dispatch nobody took, or one an earlier rescue sent to a worker that did not start it.
        String reason = (waited.workerId == null
                ? "not picked up in " + waitedFor
                : "not started by worker " + waited.workerId + " in " + waitedFor)
                + " while worker " + workerId + " had a free slot; sent to it directly as attempt " + (withdrawn + 1);
        // Closed before the new prompt is built: a rescued attempt is skipped when the prompt looks for the one before.
        waited.status = TaskStatus.CANCELLED;
        waited.reason = reason;
        waited.finishedAt = now;
        waited.leaseExpiresAt = null;
        // The worker whose paused partition holds the old record remembers the cancel and skips it when it gets there.
        outbox.append(topics.workerCommands(), task.id.toString(), new WorkerCommand(
                WorkerCommand.Type.CANCEL, task.id, withdrawn, reason, now));
        // The same dispatch as the withdrawn one (it went to the pool, so it resumes no session), for one worker.
        String prompt = dispatches.prompt(task, false);
        dispatches.open(task, prompt, workerId, null, now);
        task.updatedAt = now;
        metrics.dispatchRescued(task);
        LOG.infof("Task %s attempt %d %s", task.id, withdrawn, reason);
    }

    private static String seconds(Duration wait) {
        return String.format(Locale.ROOT, "%.1fs", Math.max(0, wait.toMillis()) / 1000.0);
    }
}
