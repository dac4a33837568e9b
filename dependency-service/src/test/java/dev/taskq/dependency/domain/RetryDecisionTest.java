package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RetryDecisionTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(10), false);
    /** Always the top of the jitter range: the full exponential backoff. */
    private static final RandomGenerator NO_JITTER_CUT = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @Test
    void aRetryableFailureWithAttemptsLeftIsRetriedAfterItsBackoffWithAReasonThatSaysSo() {
        RetryDecision decision = RetryDecision.after(POLICY, 2, FailureCause.API_UNAVAILABLE, "overloaded", NOW, NOW, NO_JITTER_CUT);

        assertThat(decision.retry()).isTrue();
        assertThat(decision.runAfter()).isEqualTo(NOW.plusSeconds(20));
        assertThat(decision.reason()).isEqualTo("attempt 2 of 3 failed (API_UNAVAILABLE: overloaded); retrying after 20.0s");
    }

    @Test
    void theReasonNamesOnlyTheCauseWhenTheFailureGaveNone() {
        assertThat(RetryDecision.after(POLICY, 1, FailureCause.SESSION_UNAVAILABLE, null, NOW, NOW, NO_JITTER_CUT).reason())
                .isEqualTo("attempt 1 of 3 failed (SESSION_UNAVAILABLE); retrying after 10.0s");
    }

    @Test
    void theBackoffCountsFromWhenTheWaitBeganAndIsOverAtOnceIfThatIsLongAgo() {
        RetryDecision decision = RetryDecision.after(
                POLICY, 1, FailureCause.WORKER_LOST, "worker w lost", NOW.minusSeconds(11), NOW, NO_JITTER_CUT);

        assertThat(decision.runAfter()).isEqualTo(NOW);
        assertThat(decision.reason()).endsWith("; retrying now");
    }

    @Test
    void theBackoffLeftAfterAnEarlierStartIsWhatIsWaited() {
        RetryDecision decision = RetryDecision.after(
                POLICY, 1, FailureCause.WORKER_LOST, "worker w lost", NOW.minusSeconds(4), NOW, NO_JITTER_CUT);

        assertThat(decision.runAfter()).isEqualTo(NOW.plusSeconds(6));
    }

    @Test
    void rescuedDispatchesDoNotCountSoAnAttemptAfterThemStillHasItsRetryAndItsShortBackoff() {
        // Attempt 3 after one rescue is the task's second try of three.
        RetryDecision decision = RetryDecision.after(
                POLICY, new AttemptNumber(3, 2), FailureCause.API_UNAVAILABLE, "overloaded", NOW, NOW, NO_JITTER_CUT);

        assertThat(decision.retry()).isTrue();
        assertThat(decision.runAfter()).isEqualTo(NOW.plusSeconds(20));
        assertThat(decision.reason()).isEqualTo(
                "attempt 3 (counted 2 of 3; 1 rescued dispatch not counted) failed (API_UNAVAILABLE: overloaded); retrying after 20.0s");
    }

    @Test
    void theLastCountedAttemptIsNotRetriedWhateverItsNumber() {
        RetryPolicy single = new RetryPolicy(1, Duration.ofSeconds(10), Duration.ofMinutes(10), false);

        assertThat(RetryDecision.after(single, new AttemptNumber(2, 1), FailureCause.API_UNAVAILABLE, "x", NOW, NOW, NO_JITTER_CUT).retry())
                .isFalse();
    }

    @Test
    void rescuedDispatchesDoNotCountTowardTheHandBackCap() {
        int cap = RetryPolicy.HAND_BACK_ATTEMPT_CAP;

        assertThat(RetryDecision.afterHandBack(POLICY, new AttemptNumber(cap + 1, cap - 1), "w-7", NOW).retry()).isTrue();
        assertThat(RetryDecision.afterHandBack(POLICY, new AttemptNumber(cap + 1, cap), "w-7", NOW).retry()).isFalse();
    }

    @Test
    void theLastAttemptIsNotRetried() {
        assertThat(RetryDecision.after(POLICY, 3, FailureCause.API_UNAVAILABLE, "overloaded", NOW, NOW, NO_JITTER_CUT).retry())
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = FailureCause.class, names = {"MAX_TURNS", "BUDGET_EXCEEDED", "SESSION_ERROR", "CANCELLED"})
    void failuresTheSessionWouldRepeatAreNeverRetried(FailureCause cause) {
        RetryDecision decision = RetryDecision.after(POLICY, 1, cause, "boom", NOW, NOW, NO_JITTER_CUT);

        assertThat(decision.retry()).isFalse();
        assertThat(decision.runAfter()).isNull();
        assertThat(decision.reason()).isNull();
    }

    @Test
    void aSuccessHasNoCauseAndIsNotRetried() {
        assertThat(RetryDecision.after(POLICY, 1, null, null, NOW, NOW, NO_JITTER_CUT).retry()).isFalse();
    }

    @Test
    void aTimeoutIsRetriedOnlyWhenTheTaskAllowsIt() {
        RetryPolicy retryingTimeouts = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(10), true);

        assertThat(RetryDecision.after(POLICY, 1, FailureCause.TIMED_OUT, "timed out", NOW, NOW, NO_JITTER_CUT).retry()).isFalse();
        assertThat(RetryDecision.after(retryingTimeouts, 1, FailureCause.TIMED_OUT, "timed out", NOW, NOW, NO_JITTER_CUT).retry())
                .isTrue();
    }

    @Test
    void anAttemptHandedBackOnShutdownIsRetriedNowEvenWithNoAttemptsLeftAndTheReasonNamesTheWorker() {
        RetryPolicy single = new RetryPolicy(1, Duration.ofSeconds(10), Duration.ofMinutes(10), false);

        RetryDecision decision = RetryDecision.of(single, 1, FailureCause.DRAINED, "worker shutting down", "w-7", NOW, NO_JITTER_CUT);

        assertThat(decision.retry()).isTrue();
        assertThat(decision.runAfter()).isEqualTo(NOW);
        assertThat(decision.reason()).isEqualTo("attempt 1 handed back by worker w-7 on shutdown; retrying now");
    }

    @Test
    void handBacksStopAtTheCapWithAReasonThatSaysWhy() {
        int cap = RetryPolicy.HAND_BACK_ATTEMPT_CAP;

        assertThat(RetryDecision.of(POLICY, cap - 1, FailureCause.DRAINED, null, "w-7", NOW, NO_JITTER_CUT).retry()).isTrue();
        assertThat(RetryDecision.of(POLICY, cap, FailureCause.DRAINED, null, "w-7", NOW, NO_JITTER_CUT).retry()).isFalse();
        assertThat(RetryDecision.handBackLimitReason(cap, "w-7")).isEqualTo("attempt " + cap
                + " handed back by worker w-7 on shutdown; not retried: a task gets at most " + cap
                + " attempts when workers keep handing it back");
    }

    @Test
    void anyOtherCauseIsDecidedAsAFailureWithItsBackoff() {
        assertThat(RetryDecision.of(POLICY, 2, FailureCause.API_UNAVAILABLE, "overloaded", "w-7", NOW, NO_JITTER_CUT))
                .isEqualTo(RetryDecision.after(POLICY, 2, FailureCause.API_UNAVAILABLE, "overloaded", NOW, NOW, NO_JITTER_CUT));
    }

    @Test
    void aLongFailureReasonIsCutInTheRetryReason() {
        String failure = "x".repeat(RetryDecision.MAX_FAILURE_CHARS + 100);

        String reason = RetryDecision.after(POLICY, 1, FailureCause.API_UNAVAILABLE, failure, NOW, NOW, NO_JITTER_CUT).reason();

        assertThat(reason).contains("x".repeat(RetryDecision.MAX_FAILURE_CHARS) + "…)")
                .doesNotContain("x".repeat(RetryDecision.MAX_FAILURE_CHARS + 1));
    }
}
