package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.TaskStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeasePolicyTest {

    @Test
    void aLostAttemptWithAttemptsLeftQueuesTheTaskAgain() {
        assertThat(LeasePolicy.onWorkerLost(1, 3))
                .isEqualTo(new LeasePolicy.Decision(TaskStatus.QUEUED, "retrying: worker lost"));
    }

    @Test
    void theLastLostAttemptFailsTheTask() {
        assertThat(LeasePolicy.onWorkerLost(3, 3))
                .isEqualTo(new LeasePolicy.Decision(TaskStatus.FAILED, "worker lost on attempt 3 of 3"));
    }

    @Test
    void bothDecisionsAreTransitionsTheStateTableAllowsFromRunning() {
        assertThat(TaskStatus.RUNNING.canTransitionTo(LeasePolicy.onWorkerLost(1, 2).next())).isTrue();
        assertThat(TaskStatus.RUNNING.canTransitionTo(LeasePolicy.onWorkerLost(2, 2).next())).isTrue();
    }

    @Test
    void theAttemptReasonNamesTheWorkerAndItsLastHeartbeat() {
        assertThat(LeasePolicy.attemptReason("w-7", Instant.parse("2026-01-02T03:04:05Z")))
                .isEqualTo("worker w-7 lost: no heartbeat since 2026-01-02T03:04:05Z");
    }
}
