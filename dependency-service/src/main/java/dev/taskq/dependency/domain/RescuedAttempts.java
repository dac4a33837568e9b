package dev.taskq.dependency.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskAttemptRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;

/**
 * Tells the attempts that count for nothing because of {@link DispatchRescue}: not against {@code maxAttempts}, and
 * not as the attempt a retry's prompt picks up from. Two kinds: a dispatch the rescue withdrew unstarted, and a
 * dispatch a rescue sent to a worker that was lost before it started it (the rescue chose that worker, the task did
 * nothing wrong).
 *
 * <p>A withdrawn attempt is recognised by its row alone (StuckDispatches' SQL says the same): CANCELLED, never
 * started, no failure cause. Only the rescue leaves that on a task that goes on: a cancelled task (whose unstarted
 * attempt looks the same) has ended, and an attempt its worker reports CANCELLED has a failure cause. Its worker is the
 * one an earlier rescue sent it to, if any.
 */
@ApplicationScoped
public class RescuedAttempts {

    private final TaskAttemptRepository attempts;

    public RescuedAttempts(TaskAttemptRepository attempts) {
        this.attempts = attempts;
    }

    /** Whether the attempt was a dispatch withdrawn unstarted by a rescue. */
    public static boolean isRescue(TaskAttemptEntity attempt) {
        return attempt.status == TaskStatus.CANCELLED
                && attempt.finishedAt != null
                && attempt.startedAt == null
                && attempt.failureCause == null;
    }

    /** Whether attempt {@code attempt} of the task was sent by a rescue: the attempt before it was withdrawn by one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean sentByRescue(UUID taskId, int attempt) {
        return attempt > 1 && attempts.find(taskId, attempt - 1).filter(RescuedAttempts::isRescue).isPresent();
    }

    /**
     * Attempt {@code attempt} of the task with its count against {@code maxAttempts}: the earlier attempts that count
     * for nothing are left out (the attempt itself always counts). Reads the earlier attempt rows by key, so inside an
     * event batch (which loaded them all) it costs no query.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public AttemptNumber number(UUID taskId, int attempt) {
        int uncounted = 0;
        for (int earlier = 1; earlier < attempt; earlier++) {
            Optional<TaskAttemptEntity> row = attempts.find(taskId, earlier);
            if (row.isPresent() && countsForNothing(taskId, row.get())) {
                uncounted++;
            }
        }
        return new AttemptNumber(attempt, attempt - uncounted);
    }

    /** The latest of the task's attempts up to {@code attempt} that counts, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<TaskAttemptEntity> latestCounted(UUID taskId, int attempt) {
        for (int n = attempt; n >= 1; n--) {
            Optional<TaskAttemptEntity> row = attempts.find(taskId, n);
            if (row.isEmpty() || !countsForNothing(taskId, row.get())) {
                return row;
            }
        }
        return Optional.empty();
    }

    private boolean countsForNothing(UUID taskId, TaskAttemptEntity attempt) {
        return isRescue(attempt)
                || (attempt.failureCause == FailureCause.WORKER_LOST && attempt.startedAt == null
                        && sentByRescue(taskId, attempt.key.attempt()));
    }
}
