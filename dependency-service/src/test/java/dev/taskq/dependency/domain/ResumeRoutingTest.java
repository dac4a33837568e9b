package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.dependency.persistence.ReleaseCapacity.Fleet;
import dev.taskq.store.persistence.TaskEntity;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResumeRoutingTest {

    private static final Fleet HOLDER_LIVE = new Fleet(Map.of("default", 4), Set.of("holder"));
    private static final Fleet HOLDER_GONE = new Fleet(Map.of("default", 4), Set.of("someone-else"));

    @Test
    void aFirstAttemptGoesToTheHolderWhileItIsLive() {
        assertThat(ReleaseService.canResumeOnItsWorker(resume(0, null), HOLDER_LIVE)).isTrue();
    }

    @Test
    void aFirstAttemptWhoseHolderIsGoneStartsFresh() {
        assertThat(ReleaseService.canResumeOnItsWorker(resume(0, null), HOLDER_GONE)).isFalse();
    }

    @Test
    void aRetryAfterTheSessionWasUnavailableStartsFreshEvenWithTheHolderLive() {
        assertThat(ReleaseService.canResumeOnItsWorker(resume(1, FailureCause.SESSION_UNAVAILABLE), HOLDER_LIVE)).isFalse();
    }

    @Test
    void aRetryAfterTheWorkerWasLostStartsFreshEvenWithTheHolderBack() {
        assertThat(ReleaseService.canResumeOnItsWorker(resume(1, FailureCause.WORKER_LOST), HOLDER_LIVE)).isFalse();
    }

    @Test
    void aRetryAfterTheHolderHandedTheAttemptBackOnShutdownStartsFresh() {
        assertThat(ReleaseService.canResumeOnItsWorker(resume(1, FailureCause.DRAINED), HOLDER_LIVE)).isFalse();
    }

    @Test
    void aRetryAfterAnOverloadedApiTriesTheHolderAgain() {
        assertThat(ReleaseService.canResumeOnItsWorker(resume(1, FailureCause.API_UNAVAILABLE), HOLDER_LIVE)).isTrue();
    }

    private static TaskEntity resume(int attemptsSoFar, FailureCause lastFailure) {
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID();
        task.resumeSessionId = UUID.randomUUID();
        task.resumeWorkerId = "holder";
        task.currentAttempt = attemptsSoFar;
        task.failureCause = lastFailure;
        return task;
    }
}
