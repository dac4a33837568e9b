package dev.taskq.dependency.domain;

import dev.taskq.common.domain.TaskStatus;
import java.time.Instant;

/** What happens to a task whose worker stopped sending heartbeats: another attempt, or failure when none is left. */
public final class LeasePolicy {

    /** The task's next status and its reason. */
    public record Decision(TaskStatus next, String reason) {}

    private LeasePolicy() {}

    public static Decision onWorkerLost(int attempt, int maxAttempts) {
        if (attempt < maxAttempts) {
            return new Decision(TaskStatus.QUEUED, "retrying: worker lost");
        }
        return new Decision(TaskStatus.FAILED, "worker lost on attempt " + attempt + " of " + maxAttempts);
    }

    /** The reason stored on the lost attempt's row. */
    public static String attemptReason(String workerId, Instant lastRenewed) {
        return "worker " + workerId + " lost: no heartbeat since " + lastRenewed;
    }
}
