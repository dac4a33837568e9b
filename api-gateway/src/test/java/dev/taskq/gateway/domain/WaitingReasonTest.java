package dev.taskq.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.domain.WaitingReason.PoolWorkers;
import dev.taskq.store.persistence.TaskEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class WaitingReasonTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final Duration LIVENESS = Duration.ofSeconds(30);
    private static final Supplier<PoolWorkers> LIVE_POOL = () -> new PoolWorkers(2, NOW.minusSeconds(1));
    private static final Supplier<Optional<UUID>> KEY_FREE = Optional::empty;

    @Test
    void aWaitingTaskCountsTheDependenciesItStillWaitsFor() {
        TaskEntity task = task(TaskStatus.WAITING);
        task.unmetDependencies = 2;

        assertThat(WaitingReason.of(task, 3, NOW, LIVENESS, unused(), unused())).isEqualTo("waiting for 2 of 3 dependencies");
        task.unmetDependencies = 1;
        assertThat(WaitingReason.of(task, 1, NOW, LIVENESS, unused(), unused())).isEqualTo("waiting for 1 of 1 dependency");
    }

    @Test
    void aQueuedTaskInItsBackoffWaitsForItToPass() {
        TaskEntity task = task(TaskStatus.QUEUED);
        task.runAfter = NOW.plusSeconds(20);

        assertThat(WaitingReason.of(task, 0, NOW, LIVENESS, unused(), unused()))
                .isEqualTo("retry backoff until 2026-05-01T12:00:20Z");
    }

    @Test
    void aBackoffThatPassedNoLongerCounts() {
        TaskEntity task = task(TaskStatus.QUEUED);
        task.runAfter = NOW.minusSeconds(1);

        assertThat(WaitingReason.of(task, 0, NOW, LIVENESS, LIVE_POOL, KEY_FREE)).isEqualTo("waiting for a free slot in pool 'gpu'");
    }

    @Test
    void aPoolNoWorkerEverServedIsNamed() {
        assertThat(WaitingReason.of(task(TaskStatus.QUEUED), 0, NOW, LIVENESS, () -> new PoolWorkers(0, null), unused()))
                .isEqualTo("no worker has ever served pool 'gpu'");
    }

    @Test
    void aPoolWhoseWorkersAllFellSilentSaysWhenOneWasLastSeen() {
        Instant lastSeen = NOW.minusSeconds(31);
        assertThat(WaitingReason.of(task(TaskStatus.QUEUED), 0, NOW, LIVENESS, () -> new PoolWorkers(3, lastSeen), unused()))
                .isEqualTo("no live worker serves pool 'gpu' (last seen 2026-05-01T11:59:29Z)");
    }

    @Test
    void aHeldConcurrencyKeyNamesTheTaskHoldingIt() {
        TaskEntity task = task(TaskStatus.QUEUED);
        task.concurrencyKey = "repo:app";
        UUID holder = UUID.randomUUID();

        assertThat(WaitingReason.of(task, 0, NOW, LIVENESS, LIVE_POOL, () -> Optional.of(holder)))
                .isEqualTo("concurrency key 'repo:app' is held by task " + holder);
        assertThat(WaitingReason.of(task, 0, NOW, LIVENESS, LIVE_POOL, KEY_FREE)).isEqualTo("waiting for a free slot in pool 'gpu'");
    }

    @Test
    void aTaskThatIsNotWaitingOrQueuedHasNoReason() {
        for (TaskStatus status : new TaskStatus[] {TaskStatus.DISPATCHED, TaskStatus.RUNNING, TaskStatus.SUCCEEDED, TaskStatus.SKIPPED}) {
            assertThat(WaitingReason.of(task(status), 0, NOW, LIVENESS, unused(), unused())).isNull();
        }
    }

    private static TaskEntity task(TaskStatus status) {
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID();
        task.status = status;
        task.pool = "gpu";
        return task;
    }

    /** A fact that must not be asked for: the reason is decided before it matters. */
    private static <T> Supplier<T> unused() {
        return () -> {
            throw new AssertionError("this fact should not be needed");
        };
    }
}
