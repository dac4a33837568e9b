package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.RetryPolicy;
import dev.taskq.common.domain.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class LeasePolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:20Z");
    private static final String LOST = "worker w-7 lost: no heartbeat since 2026-01-02T03:04:05Z";
    private static final RandomGenerator RANDOM = RandomGenerator.of("L64X128MixRandom");

    private static RetryPolicy defaults(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofSeconds(10), Duration.ofMinutes(10), false);
    }

    @Test
    void aLostAttemptWithAttemptsLeftQueuesTheTaskAgainWithCauseWorkerLost() {
        LeasePolicy.Decision decision = LeasePolicy.onWorkerLost(defaults(3), 1, LOST, NOW.minusSeconds(15), NOW, RANDOM);

        assertThat(decision.next()).isEqualTo(TaskStatus.QUEUED);
        assertThat(decision.reason()).isEqualTo("attempt 1 of 3 failed (WORKER_LOST: " + LOST + "); retrying now");
    }

    @Test
    void withDefaultSettingsTheFirstRetryAfterALostWorkerIsNotDelayedBeyondTheLease() {
        // Lease 10 s: the loss is noticed at least 10 s after the last heartbeat; the first backoff is 5-10 s.
        Instant lastRenewed = NOW.minusSeconds(10);
        for (int i = 0; i < 100; i++) {
            assertThat(LeasePolicy.onWorkerLost(defaults(3), 1, LOST, lastRenewed, NOW, RANDOM).runAfter()).isEqualTo(NOW);
        }
    }

    @Test
    void laterRetriesWaitTheRestOfTheirLongerBackoffFromTheLastHeartbeat() {
        Instant lastRenewed = NOW.minusSeconds(10);

        Instant runAfter = LeasePolicy.onWorkerLost(defaults(5), 3, LOST, lastRenewed, NOW, RANDOM).runAfter();

        // Before attempt 4: 40 s with jitter, 20-40 s after the last heartbeat.
        assertThat(runAfter).isBetween(lastRenewed.plusSeconds(20), lastRenewed.plusSeconds(40));
    }

    @Test
    void theLastLostAttemptFailsTheTask() {
        assertThat(LeasePolicy.onWorkerLost(defaults(3), 3, LOST, NOW.minusSeconds(15), NOW, RANDOM))
                .isEqualTo(new LeasePolicy.Decision(TaskStatus.FAILED, "worker lost on attempt 3 of 3", null));
    }

    @Test
    void aLostAttemptAfterARescueIsRetriedWhenItIsNotTheLastCountedOne() {
        LeasePolicy.Decision decision =
                LeasePolicy.onWorkerLost(defaults(2), new AttemptNumber(2, 1), LOST, NOW.minusSeconds(15), NOW, RANDOM);

        assertThat(decision.next()).isEqualTo(TaskStatus.QUEUED);
        assertThat(decision.reason()).isEqualTo(
                "attempt 2 (counted 1 of 2; 1 rescued dispatch not counted) failed (WORKER_LOST: " + LOST + "); retrying now");
    }

    @Test
    void theLastCountedLostAttemptFailsTheTaskWithAReasonNamingBothNumbers() {
        assertThat(LeasePolicy.onWorkerLost(defaults(1), new AttemptNumber(2, 1), LOST, NOW.minusSeconds(15), NOW, RANDOM))
                .isEqualTo(new LeasePolicy.Decision(
                        TaskStatus.FAILED, "worker lost on attempt 2 (counted 1 of 1; 1 rescued dispatch not counted)", null));
    }

    @Test
    void bothDecisionsAreTransitionsTheStateTableAllowsFromRunning() {
        assertThat(TaskStatus.RUNNING.canTransitionTo(LeasePolicy.onWorkerLost(defaults(2), 1, LOST, NOW, NOW, RANDOM).next())).isTrue();
        assertThat(TaskStatus.RUNNING.canTransitionTo(LeasePolicy.onWorkerLost(defaults(2), 2, LOST, NOW, NOW, RANDOM).next())).isTrue();
    }

    @Test
    void theAttemptReasonNamesTheWorkerAndItsLastHeartbeat() {
        assertThat(LeasePolicy.attemptReason("w-7", Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo(LOST);
    }
}
