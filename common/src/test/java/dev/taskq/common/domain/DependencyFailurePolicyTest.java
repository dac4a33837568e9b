package dev.taskq.common.domain;

import static dev.taskq.common.domain.DependencyFailurePolicy.Reaction.RESOLVED;
import static dev.taskq.common.domain.DependencyFailurePolicy.Reaction.SKIPPED;
import static dev.taskq.common.domain.DependencyFailurePolicy.Reaction.UPSTREAM_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DependencyFailurePolicyTest {

    @ParameterizedTest
    @EnumSource(DependencyFailurePolicy.class)
    void aSucceededDependencyResolvesUnderEveryPolicy(DependencyFailurePolicy policy) {
        assertThat(policy.onDependencyEnded(TaskStatus.SUCCEEDED)).isEqualTo(RESOLVED);
    }

    @ParameterizedTest
    @EnumSource(value = TaskStatus.class, names = {"FAILED", "TIMED_OUT", "CANCELLED", "UPSTREAM_FAILED"})
    void aFailedDependencyFailsSkipsOrResolvesByPolicy(TaskStatus failed) {
        assertThat(DependencyFailurePolicy.FAIL.onDependencyEnded(failed)).isEqualTo(UPSTREAM_FAILED);
        assertThat(DependencyFailurePolicy.SKIP.onDependencyEnded(failed)).isEqualTo(SKIPPED);
        assertThat(DependencyFailurePolicy.RUN.onDependencyEnded(failed)).isEqualTo(RESOLVED);
    }

    @Test
    void aSkipTravelsDownAsASkipUnlessTheDependentRunsAnyway() {
        assertThat(DependencyFailurePolicy.FAIL.onDependencyEnded(TaskStatus.SKIPPED)).isEqualTo(SKIPPED);
        assertThat(DependencyFailurePolicy.SKIP.onDependencyEnded(TaskStatus.SKIPPED)).isEqualTo(SKIPPED);
        assertThat(DependencyFailurePolicy.RUN.onDependencyEnded(TaskStatus.SKIPPED)).isEqualTo(RESOLVED);
    }

    @Test
    void anUnfinishedDependencyHasNoReactionAndResolvesNothing() {
        assertThatThrownBy(() -> DependencyFailurePolicy.RUN.onDependencyEnded(TaskStatus.RUNNING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DependencyFailurePolicy.RUN.isResolvedBy(TaskStatus.QUEUED)).isFalse();
        assertThat(DependencyFailurePolicy.RUN.isResolvedBy(TaskStatus.FAILED)).isTrue();
        assertThat(DependencyFailurePolicy.FAIL.isResolvedBy(TaskStatus.FAILED)).isFalse();
    }
}
