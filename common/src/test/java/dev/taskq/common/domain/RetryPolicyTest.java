package dev.taskq.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.event.SessionResult;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(10), Duration.ofSeconds(60), false);

    @Test
    void onlyCausesOutsideTheTaskAreRetriedWhileAttemptsRemain() {
        assertThat(policy.retries(1, FailureCause.WORKER_LOST)).isTrue();
        assertThat(policy.retries(3, FailureCause.API_UNAVAILABLE)).isTrue();
        assertThat(policy.retries(4, FailureCause.WORKER_LOST)).as("the last attempt").isFalse();
        assertThat(policy.retries(1, FailureCause.SESSION_ERROR)).isFalse();
        assertThat(policy.retries(1, FailureCause.MAX_TURNS)).isFalse();
        assertThat(policy.retries(1, FailureCause.BUDGET_EXCEEDED)).isFalse();
        assertThat(policy.retries(1, FailureCause.CANCELLED)).isFalse();
        assertThat(policy.retries(1, null)).isFalse();
    }

    @Test
    void aHandBackOnShutdownIsRetriedPastMaxAttemptsUpToTheCap() {
        RetryPolicy single = new RetryPolicy(1, Duration.ofSeconds(10), Duration.ofSeconds(60), false);
        assertThat(single.retries(1, FailureCause.WORKER_LOST)).isFalse();
        assertThat(single.retries(1, FailureCause.DRAINED)).isTrue();
        assertThat(single.retries(RetryPolicy.HAND_BACK_ATTEMPT_CAP - 1, FailureCause.DRAINED)).isTrue();
        assertThat(single.retries(RetryPolicy.HAND_BACK_ATTEMPT_CAP, FailureCause.DRAINED)).isFalse();
    }

    @Test
    void aTimeoutIsRetriedOnlyWhenTheTaskAllowsIt() {
        assertThat(policy.retries(1, FailureCause.TIMED_OUT)).isFalse();
        RetryPolicy allowing = new RetryPolicy(4, Duration.ofSeconds(10), Duration.ofSeconds(60), true);
        assertThat(allowing.retries(1, FailureCause.TIMED_OUT)).isTrue();
    }

    @Test
    void backoffDoublesPerRetryWithinEqualJitterAndStopsAtTheCap() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoffBefore(2, random)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(policy.backoffBefore(3, random)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
            assertThat(policy.backoffBefore(4, random)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
            assertThat(policy.backoffBefore(5, random)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
            assertThat(policy.backoffBefore(90, random)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void jitterSpreadsTasksThatFailedTogether() {
        Random random = new Random(7);
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> policy.backoffBefore(2, random)).distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }

    @Test
    void overloadRateLimitsAndServerErrorsAreRetryableButBadRequestsAndMaxTurnsAreNot() {
        assertThat(FailureCause.of(SessionOutcome.FAILED, result("success", 529))).isEqualTo(FailureCause.API_UNAVAILABLE);
        assertThat(FailureCause.of(SessionOutcome.FAILED, result("success", 429))).isEqualTo(FailureCause.API_UNAVAILABLE);
        assertThat(FailureCause.of(SessionOutcome.FAILED, result("success", 503))).isEqualTo(FailureCause.API_UNAVAILABLE);
        assertThat(FailureCause.of(SessionOutcome.FAILED, result("success", 400))).isEqualTo(FailureCause.SESSION_ERROR);
        assertThat(FailureCause.of(SessionOutcome.FAILED, result("error_max_turns", null))).isEqualTo(FailureCause.MAX_TURNS);
        assertThat(FailureCause.of(SessionOutcome.FAILED, result("error_max_budget_usd", null))).isEqualTo(FailureCause.BUDGET_EXCEEDED);
        assertThat(FailureCause.of(SessionOutcome.FAILED, null)).isEqualTo(FailureCause.SESSION_ERROR);
        assertThat(FailureCause.of(SessionOutcome.TIMED_OUT, null)).isEqualTo(FailureCause.TIMED_OUT);
        assertThat(FailureCause.of(SessionOutcome.SUCCEEDED, result("success", null))).isNull();
    }

    private static SessionResult result(String subtype, Integer apiStatus) {
        return new SessionResult(subtype, true, 1, null, null, null, null, "text", apiStatus, 10L);
    }
}
