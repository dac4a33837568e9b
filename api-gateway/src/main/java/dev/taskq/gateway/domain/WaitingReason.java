package dev.taskq.gateway.domain;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.TaskEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Why a task that has not started waits, in words a user can act on; null when it does not wait. The checks run
 * in the order the release applies them, and facts that need a query are asked for only when they matter.
 */
public final class WaitingReason {

    /**
     * The workers that declared a pool.
     *
     * @param workers how many ever did (0: none)
     * @param lastSeenAt the newest heartbeat among them; null when there are none
     */
    public record PoolWorkers(long workers, Instant lastSeenAt) {}

    private WaitingReason() {}

    /**
     * @param dependencies how many dependencies the task has in all
     * @param poolWorkers the workers of the task's pool
     * @param keyHolder the DISPATCHED or RUNNING task holding the task's concurrency key, if any
     */
    public static String of(TaskEntity task, int dependencies, Instant now, Duration liveness,
            Supplier<PoolWorkers> poolWorkers, Supplier<Optional<UUID>> keyHolder) {
        if (task.status == TaskStatus.WAITING) {
            return "waiting for " + task.unmetDependencies + " of " + dependencies
                    + (dependencies == 1 ? " dependency" : " dependencies");
        }
        if (task.status != TaskStatus.QUEUED) {
            return null;
        }
        if (task.runAfter != null && task.runAfter.isAfter(now)) {
            return "retry backoff until " + task.runAfter;
        }
        PoolWorkers workers = poolWorkers.get();
        if (workers.workers() == 0) {
            return "no worker has ever served pool '" + task.pool + "'";
        }
        if (workers.lastSeenAt().isBefore(now.minus(liveness))) {
            return "no live worker serves pool '" + task.pool + "' (last seen " + workers.lastSeenAt() + ")";
        }
        if (task.concurrencyKey != null) {
            Optional<UUID> holder = keyHolder.get();
            if (holder.isPresent()) {
                return "concurrency key '" + task.concurrencyKey + "' is held by task " + holder.get();
            }
        }
        return "waiting for a free slot in pool '" + task.pool + "'";
    }
}
