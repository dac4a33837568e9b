package dev.taskq.worker.domain;

import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.SessionResult;

/**
 * How an attempt ended and, unless it succeeded, a reason a user can act on.
 *
 * @param reason null for SUCCEEDED
 */
public record SessionVerdict(SessionOutcome outcome, String reason) {

    static final String SUCCESS_SUBTYPE = "success";

    public static SessionVerdict of(Termination termination) {
        if (termination.killedFor() == KillReason.CANCELLED) {
            String why = termination.cancelReason();
            return new SessionVerdict(
                    SessionOutcome.CANCELLED, why == null || why.isBlank() ? "cancelled" : "cancelled: " + why);
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

    /** The process could not be started (or its working directory is missing). */
    public static SessionVerdict notStarted(String reason) {
        return failed(reason);
    }

    private static SessionVerdict failed(String reason) {
        return new SessionVerdict(SessionOutcome.FAILED, reason);
    }
}
