package dev.taskq.dependency.domain;

import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.persistence.QueueAging;
import dev.taskq.dependency.persistence.ReleaseClaim;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Raises the effective priority of waiting tasks by one level per {@code aging.step}, up to 10, so a stream of
 * urgent work cannot starve the rest: with the default 10 min step a priority-1 task reaches 10 after 90 min and
 * then goes before every task that became ready after it.
 *
 * <p>A run normally looks only at the tasks that became due since this replica's previous run (plus one interval
 * of overlap, for rows that were locked at the time), which costs about as much as the tasks it raises. The first
 * run, one after a long pause, and one every hour sweep every QUEUED task instead (in chunks of the batch size),
 * which also catches a row that was locked through two windows or stamped by a skewed clock. Several replicas may
 * run it: each transaction takes an advisory lock, a replica that finds it taken gives up the run, and every write
 * is idempotent.
 */
@ApplicationScoped
public class PriorityAging {

    private static final Logger LOG = Logger.getLogger(PriorityAging.class);
    private static final Instant SWEEP_START = Instant.EPOCH;
    private static final UUID NIL = new UUID(0, 0);
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);

    /**
     * What a run did.
     *
     * @param raised tasks whose effective priority went up
     * @param complete false when another replica held the aging lock and the run gave up part way
     */
    public record Run(int raised, boolean complete) {}

    private final QueueAging aging;
    private final ReleaseClaim claim;
    private final DependencyConfig config;
    // End of this replica's last complete run: the next one needs to look only at what became due since.
    private volatile Instant coveredUntil;
    private volatile Instant lastSweep;

    public PriorityAging(QueueAging aging, ReleaseClaim claim, DependencyConfig config) {
        this.aging = aging;
        this.claim = claim;
        this.config = config;
    }

    @Scheduled(every = "${taskq.dependency.aging.interval}", delayed = "${taskq.dependency.aging.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Run run = run(Instant.now());
            if (run.raised() > 0) {
                LOG.debugf("Aging raised %d tasks", run.raised());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Aging run failed; the next one sweeps every queued task");
            coveredUntil = null;
        }
    }

    /** One run as of {@code now}: only what became due since the last complete run, or a sweep (see above). */
    Run run(Instant now) {
        Instant from = coveredUntil == null ? null : coveredUntil.minus(config.aging().interval());
        // Windows wider than a step would overlap each other (harmless, but then the sweep is cheaper).
        boolean windowed = from != null && lastSweep != null
                && Duration.between(from, now).compareTo(config.aging().step()) < 0
                && Duration.between(lastSweep, now).compareTo(SWEEP_EVERY) < 0;
        Run run = windowed ? raiseDueBetween(from, now) : sweep(now);
        if (run.complete()) {
            coveredUntil = now;
            lastSweep = windowed ? lastSweep : now;
        }
        return run;
    }

    private Run raiseDueBetween(Instant from, Instant now) {
        int batch = config.aging().batchSize();
        int raised = 0;
        for (String pool : claim.queuedPools()) {
            int count;
            do {
                count = inLockedTransaction(() -> aging.raiseDueBetween(pool, from, now, config.aging().step(), batch));
                if (count < 0) {
                    return new Run(raised, false);
                }
                raised += count;
            } while (count == batch);
        }
        return new Run(raised, true);
    }

    /**
     * Brings every QUEUED task to its level as of {@code now}, whatever its history: pool by pool, level by level
     * from 9 down (a raised task moves to a level already walked, so it is not read twice), in chunks of the batch
     * size along tasks_release_order_idx.
     */
    public Run sweep(Instant now) {
        int batch = config.aging().batchSize();
        Duration step = config.aging().step();
        int raised = 0;
        for (String pool : claim.queuedPools()) {
            for (int level = 9; level >= 1; level--) {
                int atLevel = level;
                Instant afterReadyAt = SWEEP_START;
                UUID afterId = NIL;
                SweepStep done;
                do {
                    Instant startReadyAt = afterReadyAt;
                    UUID startId = afterId;
                    done = QuarkusTransaction.requiringNew().call(() -> {
                        if (!aging.tryLock()) {
                            return null;
                        }
                        QueueAging.Chunk chunk = aging.sweepChunk(pool, atLevel, now, step, startReadyAt, startId, batch);
                        return new SweepStep(chunk, aging.raise(chunk.due(), now, step));
                    });
                    if (done == null) {
                        return new Run(raised, false);
                    }
                    raised += done.raised();
                    afterReadyAt = done.chunk().lastReadyAt();
                    afterId = done.chunk().lastId();
                } while (done.chunk().examined() == batch);
            }
        }
        return new Run(raised, true);
    }

    private record SweepStep(QueueAging.Chunk chunk, int raised) {}

    /** Runs the work under the aging lock; -1 when another replica holds it. */
    private int inLockedTransaction(IntSupplier work) {
        return QuarkusTransaction.requiringNew().call(() -> aging.tryLock() ? work.getAsInt() : -1);
    }
}
