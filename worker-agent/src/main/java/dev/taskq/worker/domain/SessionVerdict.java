package dev.taskq.worker.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.SessionResult;
import java.util.UUID;

/**
 * How an attempt ended and, unless it succeeded, a reason a user can act on.
 *
 * @param reason null for SUCCEEDED
 * @param failureCause set only when the worker knows the cause better than the result tells (see
 *     {@code SessionFinished.failureCause}); null otherwise
 */
public record SessionVerdict(SessionOutcome outcome, String reason, FailureCause failureCause) {

    static final String SUCCESS_SUBTYPE = "success";
    /** What claude 2.1.197 writes to stderr (and then exits 1) when it finds no transcript to resume. */
    static final String NO_TRANSCRIPT = "No conversation found with session ID";

    public SessionVerdict(SessionOutcome outcome, String reason) {
        this(outcome, reason, null);
    }

    public static SessionVerdict of(Termination termination) {
        if (termination.killedFor() == KillReason.CANCELLED) {
            String why = termination.cancelReason();
            return new SessionVerdict(
                    SessionOutcome.CANCELLED, why == null || why.isBlank() ? "cancelled" : "cancelled: " + why);
        }
        if (termination.killedFor() == KillReason.DRAINED) {
            String why = termination.cancelReason();
            return new SessionVerdict(SessionOutcome.FAILED, why == null || why.isBlank() ? "handed back: worker shut down" : why,
                    FailureCause.DRAINED);
        }
        if (termination.killedFor() == KillReason.TIMED_OUT) {
            return new SessionVerdict(
                    SessionOutcome.TIMED_OUT, "timed out after " + termination.timeoutSeconds() + "s");
        }
        SessionResult result = termination.result();
        if (result == null) {
            String reason = "exited with code " + termination.exitCode() + " without a result";
            if (termination.lastStderrLine() != null && !termination.lastStderrLine().isBlank()) {
                reason += ": " + termination.lastStderrLine().strip();
            }
            return failed(reason);
        }
        boolean successSubtype = SUCCESS_SUBTYPE.equals(result.subtype());
        if (successSubtype && !result.isError()) {
            return new SessionVerdict(SessionOutcome.SUCCEEDED, null);
        }
        String text = result.resultText() == null ? "" : result.resultText().strip();
        if (successSubtype) {
            // The CLI reports API failures as subtype success with is_error; its text says what went wrong.
            return failed(text.isEmpty() ? "the session reported an error" : text);
        }
        return failed(text.isEmpty() ? result.subtype() : result.subtype() + ": " + text);
    }

    /**
     * How a command task ended: killed (cancel, timeout, hand-back) as a session would be, else by its exit code, 0 for
     * success and anything else a failure naming the code and the last line the command wrote to stderr.
     */
    public static SessionVerdict ofCommand(Termination termination) {
        if (termination.killedFor() != null) {
            return of(termination);
        }
        if (termination.exitCode() != null && termination.exitCode() == 0) {
            return new SessionVerdict(SessionOutcome.SUCCEEDED, null);
        }
        String reason = "exited with code " + termination.exitCode();
        if (termination.lastStderrLine() != null && !termination.lastStderrLine().isBlank()) {
            reason += ": " + termination.lastStderrLine().strip();
        }
        return failed(reason);
    }

    /**
     * Like {@link #of}, for a resume: a CLI that found no transcript to resume (the worker's own check passed, so
     * the CLI looked elsewhere or the transcript went away) is an unavailable session, retryable elsewhere.
     */
    public static SessionVerdict ofResume(Termination termination, UUID resumedSessionId, String workerId) {
        SessionVerdict verdict = of(termination);
        boolean noTranscript = verdict.outcome() == SessionOutcome.FAILED
                && termination.lastStderrLine() != null
                && termination.lastStderrLine().startsWith(NO_TRANSCRIPT);
        return noTranscript ? sessionUnavailable(resumedSessionId, workerId) : verdict;
    }

    /**
     * A session that asked a human a question (the worker's AskHuman tool) and then ended its turn: it waits for the
     * answer, which resumes it. Only a success becomes this; a session that failed or was killed after asking is
     * reported as it ended, the question moot.
     */
    public SessionVerdict awaitingAnswer() {
        if (outcome != SessionOutcome.SUCCEEDED) {
            return this;
        }
        return new SessionVerdict(SessionOutcome.WAITING_FOR_INPUT, "asked a human; waiting for the answer");
    }

    /** The process could not be started (or its working directory is missing). */
    public static SessionVerdict notStarted(String reason) {
        return failed(reason);
    }

    /**
     * A resume that cannot run here because this worker does not hold the transcript; retryable elsewhere as a
     * fresh session.
     */
    public static SessionVerdict sessionUnavailable(UUID sessionId, String workerId) {
        return new SessionVerdict(SessionOutcome.FAILED, "session " + sessionId + " is not on worker " + workerId,
                FailureCause.SESSION_UNAVAILABLE);
    }

    private static SessionVerdict failed(String reason) {
        return new SessionVerdict(SessionOutcome.FAILED, reason);
    }
}
