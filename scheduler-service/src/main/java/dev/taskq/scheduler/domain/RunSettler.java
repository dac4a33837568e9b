package dev.taskq.scheduler.domain;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.ScheduleRunFailedEvent;
import dev.taskq.scheduler.persistence.FinishedRuns;
import dev.taskq.scheduler.persistence.FinishedRuns.FinishedRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Settles FIRED runs whose task or workflow has ended: each is marked settled once, and when its task failed, timed
 * out, was cancelled or could not run because of a failure upstream (or its workflow ended FAILED or CANCELLED), a
 * RUN_FAILED notice is written in the same transaction. The scheduler does it, not the code that ends tasks, because
 * the scheduler already owns schedule runs, and tasks ending (dependency-service, the gateway) need not know them.
 */
@ApplicationScoped
public class RunSettler {

    /** The most runs one settling transaction takes; a full batch is followed by another at once. */
    static final int BATCH = 500;

    private final FinishedRuns finishedRuns;
    private final RunNotices notices;
    private final Clock clock;

    public RunSettler(FinishedRuns finishedRuns, RunNotices notices, Clock clock) {
        this.finishedRuns = finishedRuns;
        this.notices = notices;
        this.clock = clock;
    }

    /** Settles up to a batch of finished runs; returns how many. */
    @Transactional
    public int settleFinished() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<FinishedRun> runs = finishedRuns.lock(BATCH);
        for (FinishedRun run : runs) {
            String failure = failure(run);
            if (failure != null) {
                notices.announce(run.id(), run.scheduleId(), run.scheduleName(), run.fireTime(), ScheduleRunFailedEvent.Kind.RUN_FAILED,
                        run.taskId(), run.workflowId(), failure, now);
            }
        }
        finishedRuns.settle(runs.stream().map(FinishedRun::id).toList(), now);
        return runs.size();
    }

    /** Why the run ended badly, or null when it succeeded (a SKIPPED task chose not to run: not a failure). */
    private static String failure(FinishedRun run) {
        if (run.workflowId() != null) {
            return run.workflowStatus() == WorkflowStatus.FAILED || run.workflowStatus() == WorkflowStatus.CANCELLED
                    ? "workflow " + run.workflowId() + " ended " + run.workflowStatus() : null;
        }
        TaskStatus status = run.taskStatus();
        if (status == TaskStatus.SUCCEEDED || status == TaskStatus.SKIPPED) {
            return null;
        }
        return "task " + run.taskId() + " ended " + status + (run.taskReason() == null ? "" : ": " + run.taskReason());
    }
}
