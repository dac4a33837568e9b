package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.dependency.domain.AttemptFencing.OnFinished;
import dev.taskq.dependency.domain.AttemptFencing.OnStarted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AttemptFencingTest {

    @Test
    void aStartOfTheCurrentDispatchedAttemptIsApplied() {
        assertThat(AttemptFencing.onStarted(TaskStatus.DISPATCHED, 2, 2)).isEqualTo(OnStarted.APPLY);
    }

    @Test
    void aRedeliveredStartOfTheRunningAttemptIsADuplicate() {
        assertThat(AttemptFencing.onStarted(TaskStatus.RUNNING, 1, 1)).isEqualTo(OnStarted.DUPLICATE);
    }

    @ParameterizedTest
    @EnumSource(TaskStatus.class)
    void aStartOfAnOlderAttemptIsFencedOffWhateverTheTaskStatus(TaskStatus status) {
        assertThat(AttemptFencing.onStarted(status, 2, 1)).isEqualTo(OnStarted.FENCE);
    }

    @ParameterizedTest
    @EnumSource(value = TaskStatus.class, names = {"DISPATCHED", "RUNNING"}, mode = EnumSource.Mode.EXCLUDE)
    void aStartOfTheCurrentAttemptIsFencedOffUnlessTheTaskWaitsForIt(TaskStatus status) {
        assertThat(AttemptFencing.onStarted(status, 1, 1)).isEqualTo(OnStarted.FENCE);
    }

    @Test
    void aStartOfAnAttemptThatDoesNotExistYetIsFencedOff() {
        assertThat(AttemptFencing.onStarted(TaskStatus.DISPATCHED, 1, 2)).isEqualTo(OnStarted.FENCE);
    }

    @ParameterizedTest
    @EnumSource(value = TaskStatus.class, names = {"DISPATCHED", "RUNNING"})
    void aFinishOfTheCurrentLiveAttemptIsApplied(TaskStatus status) {
        assertThat(AttemptFencing.onFinished(status, 3, 3)).isEqualTo(OnFinished.APPLY);
    }

    @ParameterizedTest
    @EnumSource(value = TaskStatus.class, names = {"DISPATCHED", "RUNNING"}, mode = EnumSource.Mode.EXCLUDE)
    void aFinishIsIgnoredOnceTheTaskIsNoLongerLive(TaskStatus status) {
        assertThat(AttemptFencing.onFinished(status, 1, 1)).isEqualTo(OnFinished.IGNORE);
    }

    @ParameterizedTest
    @EnumSource(TaskStatus.class)
    void aFinishOfAStaleAttemptIsIgnored(TaskStatus status) {
        assertThat(AttemptFencing.onFinished(status, 2, 1)).isEqualTo(OnFinished.IGNORE);
    }

    @Test
    void aRedeliveredFinishOfAnAttemptQueuedForRetryIsIgnoredUntilAndAfterTheNextRelease() {
        // Queued for retry: the failed attempt is still the current one until the release opens the next.
        assertThat(AttemptFencing.onFinished(TaskStatus.QUEUED, 1, 1)).isEqualTo(OnFinished.IGNORE);
        assertThat(AttemptFencing.onFinished(TaskStatus.DISPATCHED, 2, 1)).isEqualTo(OnFinished.IGNORE);
    }

    @Test
    void aLateStartOfAnAttemptQueuedForRetryIsFencedOff() {
        assertThat(AttemptFencing.onStarted(TaskStatus.QUEUED, 1, 1)).isEqualTo(OnStarted.FENCE);
    }

    @Test
    void theCancelReasonNamesTheStaleAttempt() {
        assertThat(AttemptFencing.fencedReason(TaskStatus.RUNNING, 2, 1)).startsWith("attempt 1 is no longer current");
        assertThat(AttemptFencing.fencedReason(TaskStatus.CANCELLED, 1, 1)).contains("CANCELLED");
    }
}
