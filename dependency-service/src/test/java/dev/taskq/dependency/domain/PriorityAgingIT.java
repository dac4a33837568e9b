package dev.taskq.dependency.domain;

import static dev.taskq.dependency.testing.FakeWorker.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.persistence.QueueAging;
import dev.taskq.dependency.testing.KafkaProbe;
import dev.taskq.dependency.testing.Pools;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.dependency.testing.Workers;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class PriorityAgingIT {

    private static final Duration STEP = Duration.ofMinutes(10);

    @Inject
    PriorityAging aging;

    @Inject
    DependencyConfig config;

    @Inject
    QueueAging queueAging;

    private final String pool = Pools.fresh("aging");

    @AfterEach
    void retirePool() {
        Pools.retire(pool);
    }

    @Test
    void aLowPriorityTaskThatWaitedThreeStepsIsReleasedBeforeAFresherHigherPriorityOne() {
        NewTask waited = NewTask.queued().priority(2).pool(pool);
        NewTask fresh = NewTask.queued().priority(4).pool(pool);
        onlyOneFreeSlotOnceServed(waited, fresh);
        TaskRows.set(waited.id(), "ready_at", Instant.now().minus(Duration.ofMinutes(31)));

        sweepAsOf(Instant.now());

        assertThat(effectivePriority(waited.id())).isEqualTo(5);
        assertThat(effectivePriority(fresh.id())).isEqualTo(4);
        Workers.alwaysLive("w-" + pool, 1, pool);
        await().until(() -> TaskRows.task(waited.id()).status() == TaskStatus.DISPATCHED);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30))
                .until(() -> TaskRows.task(fresh.id()).status() == TaskStatus.QUEUED);
        // The topic follows the effective priority: a priority-2 task aged to 5 is dispatched as P2.
        try (KafkaProbe p2 = KafkaProbe.on(TOPICS.dispatch(pool, PriorityClass.P2))) {
            await().untilAsserted(() -> assertThat(p2.values(TaskDispatch.class, d -> d.taskId().equals(waited.id())))
                    .singleElement()
                    .satisfies(dispatch -> assertThat(dispatch.priority()).isEqualTo(2)));
        }
    }

    @Test
    void aPriorityOneTaskThatWaitedNineStepsGoesBeforeAFreshPriorityTenTask() {
        NewTask waited = NewTask.queued().priority(1).pool(pool);
        NewTask urgent = NewTask.queued().priority(10).pool(pool);
        // Both are P0 now, so the urgent overcommit applies to both: use it up too, leaving room for exactly one.
        onlyOneFreeSlotOnceServed(config.release().urgentOvercommit(), waited, urgent);
        TaskRows.set(waited.id(), "ready_at", Instant.now().minus(STEP.multipliedBy(9)).minusSeconds(5));

        sweepAsOf(Instant.now());

        assertThat(effectivePriority(waited.id())).isEqualTo(10);
        Workers.alwaysLive("w-" + pool, 1, pool);
        await().until(() -> TaskRows.task(waited.id()).status() == TaskStatus.DISPATCHED);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(30))
                .until(() -> TaskRows.task(urgent.id()).status() == TaskStatus.QUEUED);
    }

    @Test
    void agingAsOfALaterClockRaisesOneLevelPerStepWaitedUpToTen() {
        NewTask low = NewTask.queued().priority(1).pool(pool);
        NewTask middle = NewTask.queued().priority(5).pool(pool);
        NewTask top = NewTask.queued().priority(10).pool(pool);
        TaskRows.insert(List.of(low, middle, top), false);

        sweepAsOf(Instant.now().plus(STEP.multipliedBy(3)).plusSeconds(30));
        assertThat(effectivePriority(low.id())).isEqualTo(4);
        assertThat(effectivePriority(middle.id())).isEqualTo(8);
        assertThat(effectivePriority(top.id())).isEqualTo(10);

        sweepAsOf(Instant.now().plus(STEP.multipliedBy(12)));
        assertThat(effectivePriority(low.id())).isEqualTo(10);
        assertThat(effectivePriority(middle.id())).isEqualTo(10);
    }

    @Test
    void aWindowedRunRaisesTheTasksThatBecameDueInItsWindowAndLeavesEarlierOnesToTheSweep() {
        Instant now = Instant.now();
        NewTask dueInWindow = NewTask.queued().priority(2).pool(pool);
        NewTask dueLongAgo = NewTask.queued().priority(2).pool(pool);
        TaskRows.insert(List.of(dueInWindow, dueLongAgo), false);
        Instant readyAt = now.minus(STEP.multipliedBy(2)).minusSeconds(30);
        // Aged once already, so its next level (4) came due 30 s ago.
        TaskRows.set(dueInWindow.id(), "ready_at", readyAt);
        TaskRows.set(dueInWindow.id(), "effective_priority", 3);
        // Never aged: its first level (3) came due 10.5 min ago, long before the window.
        TaskRows.set(dueLongAgo.id(), "ready_at", readyAt);

        int raised = QuarkusTransaction.requiringNew().call(
                () -> queueAging.raiseDueBetween(pool, now.minus(Duration.ofMinutes(2)), now, STEP, 100));

        assertThat(raised).isEqualTo(1);
        assertThat(effectivePriority(dueInWindow.id())).isEqualTo(4);
        assertThat(effectivePriority(dueLongAgo.id())).isEqualTo(2);
        sweepAsOf(now);
        assertThat(effectivePriority(dueLongAgo.id())).isEqualTo(4);
    }

    /** Inserts the tasks and two in-flight ones, so a worker of one slot (plus the margin of 2) has room for one. */
    private void onlyOneFreeSlotOnceServed(NewTask... tasks) {
        onlyOneFreeSlotOnceServed(0, tasks);
    }

    /**
     * Inserts the tasks behind enough in-flight ones that a 1-slot worker serving the pool leaves room for one
     * dispatch (its slot and the margin of 2 taken by 2 blockers), and {@code urgentToUseUp} more blockers, which take
     * the P0s' overcommit as well.
     */
    private void onlyOneFreeSlotOnceServed(int urgentToUseUp, NewTask... tasks) {
        List<NewTask> blockers = new ArrayList<>();
        blockers.add(NewTask.queued().pool(pool).status(TaskStatus.DISPATCHED));
        blockers.add(NewTask.queued().pool(pool).status(TaskStatus.RUNNING));
        for (int i = 0; i < urgentToUseUp; i++) {
            blockers.add(NewTask.queued().pool(pool).status(TaskStatus.RUNNING));
        }
        TaskRows.insert(blockers, false);
        TaskRows.insert(List.of(tasks), false);
    }

    private void sweepAsOf(Instant now) {
        // The scheduled run may hold the aging lock for a moment; the sweep then gives up and is simply run again.
        await().until(() -> aging.sweep(now).complete());
    }

    private static long effectivePriority(UUID taskId) {
        return TestDatabase.count("select effective_priority from tasks where id = ?", taskId);
    }
}
