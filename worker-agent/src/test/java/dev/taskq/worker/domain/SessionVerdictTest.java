package dev.taskq.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.SessionResult;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionVerdictTest {

    @Test
    void aSuccessResultWithoutErrorSucceeds() {
        SessionVerdict verdict = SessionVerdict.of(ended(0, result("success", false, "done")));

        assertThat(verdict).isEqualTo(new SessionVerdict(SessionOutcome.SUCCEEDED, null));
    }

    @Test
    void anErrorResultFailsWithItsTextAsTheReason() {
        SessionVerdict verdict = SessionVerdict.of(ended(1, result("success", true, "API Error: 400 mock error")));

        assertThat(verdict).isEqualTo(new SessionVerdict(SessionOutcome.FAILED, "API Error: 400 mock error"));
    }

    @Test
    void aNonSuccessSubtypeFailsNamingTheSubtype() {
        SessionVerdict verdict = SessionVerdict.of(ended(1, result("error_max_turns", false, null)));

        assertThat(verdict).isEqualTo(new SessionVerdict(SessionOutcome.FAILED, "error_max_turns"));
    }

    @Test
    void aProcessWithoutAResultFailsWithItsExitCodeAndLastStderrLine() {
        Termination termination = new Termination(null, null, 60, 127, null, "env: node: No such file or directory");

        assertThat(SessionVerdict.of(termination)).isEqualTo(new SessionVerdict(SessionOutcome.FAILED,
                "exited with code 127 without a result: env: node: No such file or directory"));
    }

    @Test
    void aCancelledSessionIsCancelledWhateverTheProcessSaid() {
        Termination termination = new Termination(KillReason.CANCELLED, "no longer needed", 60, 143, null, "Terminated");

        assertThat(SessionVerdict.of(termination))
                .isEqualTo(new SessionVerdict(SessionOutcome.CANCELLED, "cancelled: no longer needed"));
    }

    @Test
    void aTimedOutSessionNamesItsTimeout() {
        Termination termination = new Termination(KillReason.TIMED_OUT, null, 30, 143, null, null);

        assertThat(SessionVerdict.of(termination))
                .isEqualTo(new SessionVerdict(SessionOutcome.TIMED_OUT, "timed out after 30s"));
    }

    @Test
    void aResumeTheCliFindsNoTranscriptForIsAnUnavailableSession() {
        UUID resumed = UUID.fromString("33333333-3333-4333-8333-333333333333");
        // What claude 2.1.197 does when --resume names a session it has no transcript of.
        Termination termination = new Termination(null, null, 60, 1, result("error_during_execution", true, null),
                "No conversation found with session ID: " + resumed);

        assertThat(SessionVerdict.ofResume(termination, resumed, "worker-1")).isEqualTo(new SessionVerdict(
                SessionOutcome.FAILED, "session " + resumed + " is not on worker worker-1", FailureCause.SESSION_UNAVAILABLE));
    }

    @Test
    void aResumeThatFailsForAnyOtherReasonKeepsThatReason() {
        Termination termination = ended(1, result("success", true, "API Error: 400 mock error"));

        assertThat(SessionVerdict.ofResume(termination, UUID.randomUUID(), "worker-1"))
                .isEqualTo(new SessionVerdict(SessionOutcome.FAILED, "API Error: 400 mock error"));
    }

    @Test
    void aSessionHandedBackAtShutdownFailsAsDrainedWithTheWorkersReason() {
        Termination termination = new Termination(KillReason.DRAINED, "worker w-1 shut down; handed back", 60, 143, null, null);

        assertThat(SessionVerdict.of(termination)).isEqualTo(new SessionVerdict(
                SessionOutcome.FAILED, "worker w-1 shut down; handed back", FailureCause.DRAINED));
    }

    @Test
    void aSessionThatAskedAHumanAndEndedNormallyWaitsForTheAnswer() {
        SessionVerdict succeeded = SessionVerdict.of(ended(0, result("success", false, "I asked; waiting")));

        assertThat(succeeded.awaitingAnswer()).isEqualTo(
                new SessionVerdict(SessionOutcome.WAITING_FOR_INPUT, "asked a human; waiting for the answer"));
    }

    @Test
    void aSessionThatAskedAndThenFailedOrWasKilledEndsAsItEnded() {
        SessionVerdict failed = SessionVerdict.of(ended(1, result("error_max_turns", false, null)));
        SessionVerdict cancelled = SessionVerdict.of(new Termination(KillReason.CANCELLED, null, 60, 143, null, null));

        assertThat(failed.awaitingAnswer()).isEqualTo(failed);
        assertThat(cancelled.awaitingAnswer()).isEqualTo(cancelled);
    }

    private static Termination ended(int exitCode, SessionResult result) {
        return new Termination(null, null, 60, exitCode, result, null);
    }

    private static SessionResult result(String subtype, boolean isError, String text) {
        return new SessionResult(subtype, isError, 1, BigDecimal.ZERO, null, null, "s", text, null, 5L);
    }
}
