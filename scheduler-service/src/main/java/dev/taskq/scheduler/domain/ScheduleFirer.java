package dev.taskq.scheduler.domain;

import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.ScheduleRunFailedEvent.Kind;
import dev.taskq.common.schedule.Downtime;
import dev.taskq.common.schedule.FirePlan;
import dev.taskq.common.schedule.OverlapPolicy;
import dev.taskq.common.schedule.RunOutcome;
import dev.taskq.common.schedule.ScheduleStatus;
import dev.taskq.scheduler.config.SchedulerConfig;
import dev.taskq.scheduler.metrics.ScheduleMetrics;
import dev.taskq.scheduler.persistence.SchedulerLiveness;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator.PlannedWorkflow;
import dev.taskq.store.lifecycle.TaskCreator;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.DatabaseFailures;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.store.persistence.WorkflowEntity;
import dev.taskq.store.schedule.ScheduleEntity;
import dev.taskq.store.schedule.ScheduleRepository;
import dev.taskq.store.schedule.ScheduleRepository.FiredRun;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One pass of the scheduler: claims due schedules and fires them, each fire time exactly once however many replicas
 * run. In one transaction per batch it claims ACTIVE schedules with {@code next_fire_at <= now} FOR UPDATE SKIP LOCKED,
 * creates each due run's task or workflow through {@link TaskCreator}, records the runs (unique (schedule_id,
 * fire_time)) and advances {@code next_fire_at}: a run and what it created commit together or not at all. The rows of
 * a batch are written together at its end (JDBC batches, one multi-row insert of the runs), not one round trip each. When one schedule fails (its template no longer holds, a dependency is gone), the batch is fired
 * again one schedule per transaction: the others fire, and the failing one records FIRE_FAILED runs, announces them
 * and moves on to its next fire time, so it is not retried before then.
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);
    /** A FIRE_FAILED run's reason is the error's message, cut to this length. */
    private static final int REASON_MAX = 2000;

    private final ScheduleRepository schedules;
    private final TaskRepository tasks;
    private final TaskCreator creator;
    private final TaskStateWriter stateWriter;
    private final SchedulerLiveness liveness;
    private final RunNotices notices;
    private final ScheduleMetrics metrics;
    private final SchedulerConfig config;
    private final Clock clock;

    public ScheduleFirer(ScheduleRepository schedules, TaskRepository tasks, TaskCreator creator, TaskStateWriter stateWriter,
                         SchedulerLiveness liveness, RunNotices notices, ScheduleMetrics metrics, SchedulerConfig config,
                         Clock clock) {
        this.schedules = schedules;
        this.tasks = tasks;
        this.creator = creator;
        this.stateWriter = stateWriter;
        this.liveness = liveness;
        this.notices = notices;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** Fires up to a batch of due schedules; returns how many it claimed (a full batch means more may be due). */
    public int fireDue() {
        return fireDue(clock.instant());
    }

    /** As {@link #fireDue()} at a given now: tests pick one away from a fire time, so on-time and missed never blur. */
    public int fireDue(Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        // In a transaction of its own: the liveness row is one row every replica's pass updates.
        Downtime downtime = new Downtime(QuarkusTransaction.requiringNew()
                .call(() -> liveness.recordPass(now, config.misfireThreshold())), config.misfireThreshold());
        List<UUID> claimed = new ArrayList<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                List<FiredRun> fired = new ArrayList<>();
                for (ScheduleEntity schedule : schedules.claimDue(now, config.batchSize())) {
                    claimed.add(schedule.id);
                    fire(schedule, now, downtime, fired);
                }
                insertFired(fired);
            });
        } catch (RuntimeException batchFailed) {
            if (claimed.isEmpty() || DatabaseFailures.isUnreachable(batchFailed)) {
                throw batchFailed;
            }
            LOG.warnf("Firing a batch of %d due schedules failed (%s); firing them one by one, so that only the failing ones fail",
                    claimed.size(), batchFailed.toString());
            for (UUID id : claimed) {
                fireAlone(id, now, downtime);
            }
        }
        return claimed.size();
    }

    /** The earliest fire time any ACTIVE schedule waits for. */
    @Transactional
    public Optional<Instant> earliestDue() {
        return schedules.earliestDue();
    }

    private void fireAlone(UUID id, Instant now, Downtime downtime) {
        try {
            QuarkusTransaction.requiringNew().run(() -> schedules.claimDue(id, now).ifPresent(schedule -> {
                List<FiredRun> fired = new ArrayList<>();
                fire(schedule, now, downtime, fired);
                insertFired(fired);
            }));
        } catch (RuntimeException failed) {
            if (DatabaseFailures.isUnreachable(failed)) {
                throw failed;
            }
            String reason = reason(failed);
            LOG.warnf("Schedule %s failed to fire; its due runs are recorded FIRE_FAILED: %s", id, reason);
            QuarkusTransaction.requiringNew().run(() -> schedules.claimDue(id, now)
                    .ifPresent(schedule -> fireFailed(schedule, now, downtime, reason)));
        }
    }

    /**
     * The batch's FIRED runs, in one statement after their tasks: the claim's row locks already keep other replicas
     * off these schedules, so a fire time that has a run already means something fired it outside the claim, and the
     * whole transaction rolls back rather than keep a second task for it.
     */
    private void insertFired(List<FiredRun> fired) {
        int inserted = schedules.insertFiredRuns(fired);
        if (inserted != fired.size()) {
            throw new IllegalStateException((fired.size() - inserted) + " of " + fired.size()
                    + " fire times had a run already; nothing of this batch is kept");
        }
    }

    private void fire(ScheduleEntity schedule, Instant now, Downtime downtime, List<FiredRun> fired) {
        Optional<UUID> previousStepTask = Optional.empty();
        if (schedule.afterScheduleId != null) {
            ScheduleEntity previousStep = schedules.findById(schedule.afterScheduleId);
            if (previousStep.lastTaskId == null) {
                if (previousStep.status.isFinal()) {
                    // The previous step ended without a task (cancelled): this step has nothing to depend on.
                    LOG.infof("Pipeline step %s (%s) is cancelled: its previous step %s ended %s without creating a task",
                            schedule.id, schedule.name, previousStep.id, previousStep.status);
                    schedule.status = ScheduleStatus.CANCELLED;
                    schedule.nextFireAt = null;
                    schedule.updatedAt = now;
                }
                // Otherwise the previous step has not fired yet (paused, or claimed by another replica): wait for it.
                return;
            }
            previousStepTask = Optional.of(previousStep.lastTaskId);
        }
        FirePlan plan = plan(schedule, now, downtime);
        recordMissed(schedule, plan, now);
        for (Instant fireTime : plan.fire()) {
            if (reachedMaxRuns(schedule)) {
                break;
            }
            fireOnce(schedule, fireTime, now, previousStepTask, fired);
        }
        advance(schedule, plan, now);
    }

    /** A schedule whose firing failed: its due fire times are recorded FIRE_FAILED and announced; it carries on. */
    private void fireFailed(ScheduleEntity schedule, Instant now, Downtime downtime, String reason) {
        FirePlan plan = plan(schedule, now, downtime);
        recordMissed(schedule, plan, now);
        for (Instant fireTime : plan.fire()) {
            schedules.insertRun(schedule.id, fireTime, now, RunOutcome.FIRE_FAILED, reason).ifPresent(run -> {
                metrics.run(RunOutcome.FIRE_FAILED);
                notices.announce(run, schedule.id, schedule.name, fireTime, Kind.FIRE_FAILED, null, null, reason, now);
            });
        }
        advance(schedule, plan, now);
    }

    private FirePlan plan(ScheduleEntity schedule, Instant now, Downtime downtime) {
        FirePlan plan = FirePlan.plan(schedule.times(), schedule.nextFireAt, now, downtime, schedule.missedRunPolicy,
                schedule.maxCatchup);
        if (plan.skipped() > 0) {
            LOG.infof("Schedule %s (%s) skips %d due fire time(s): missed while no scheduler ran, or older than the latest"
                            + " maxCatchup, that its missed-run policy %s (maxCatchup %d) neither fires nor records",
                    schedule.id, schedule.name, plan.skipped(),
                    schedule.missedRunPolicy.wire(), schedule.maxCatchup);
        }
        return plan;
    }

    private void recordMissed(ScheduleEntity schedule, FirePlan plan, Instant now) {
        for (Instant missed : plan.missed()) {
            schedules.insertRun(schedule.id, missed, now, RunOutcome.MISSED).ifPresent(run -> {
                metrics.run(RunOutcome.MISSED);
                notices.announce(run, schedule.id, schedule.name, missed, Kind.MISSED, null, null,
                        "due at " + missed + " while no scheduler ran; the missed-run policy is fail", now);
            });
        }
    }

    private void advance(ScheduleEntity schedule, FirePlan plan, Instant now) {
        if (reachedMaxRuns(schedule) || plan.next().isEmpty()) {
            schedule.status = ScheduleStatus.COMPLETED;
            schedule.nextFireAt = null;
        } else {
            schedule.nextFireAt = plan.next().get();
        }
        schedule.updatedAt = now;
    }

    private void fireOnce(ScheduleEntity schedule, Instant fireTime, Instant now, Optional<UUID> previousStepTask,
                          List<FiredRun> fired) {
        boolean previousRunning = previousRunUnfinished(schedule);
        if (previousRunning && schedule.overlapPolicy == OverlapPolicy.SKIP) {
            if (schedules.insertRun(schedule.id, fireTime, now, RunOutcome.SKIPPED_OVERLAP).isPresent()) {
                metrics.run(RunOutcome.SKIPPED_OVERLAP);
            }
            return;
        }
        if (previousRunning && schedule.overlapPolicy == OverlapPolicy.CANCEL) {
            cancelPreviousRun(schedule, fireTime);
        }
        if (schedule.workflowTemplate != null) {
            PlannedWorkflow planned = schedule.workflowTemplate.instantiate(UUID.randomUUID());
            WorkflowEntity workflow = creator.createWorkflow(planned);
            // Still in the persistence context: finding them costs no query.
            planned.tasks().forEach(task -> submitInOwnersName(tasks.findById(task.id()), schedule));
            fired.add(new FiredRun(schedule.id, fireTime, now, null, workflow.id));
            schedule.lastWorkflowId = workflow.id;
        } else {
            NewTask template = schedule.taskTemplate.task();
            if (previousStepTask.isPresent()) {
                List<UUID> dependsOn = new ArrayList<>(template.dependsOn());
                dependsOn.add(previousStepTask.get());
                template = template.withDependsOn(List.copyOf(dependsOn));
            }
            // Written with the batch's other rows at its end (JDBC batches), as is the run that links to it.
            TaskEntity task = creator.create(template, schedule.taskTemplate.notifyEntries());
            submitInOwnersName(task, schedule);
            fired.add(new FiredRun(schedule.id, fireTime, now, task.id, null));
            schedule.lastTaskId = task.id;
        }
        metrics.run(RunOutcome.FIRED);
        schedule.runsFired++;
        // Measured now, not at the pass's start: a large batch makes its last runs later than the first.
        metrics.fired(Duration.between(fireTime, clock.instant()));
    }

    /**
     * A run's task is submitted in the name of whoever created the schedule, so its creator may cancel it and it counts
     * toward that key's unfinished-task quota (a run itself is never refused by that quota).
     */
    private static void submitInOwnersName(TaskEntity task, ScheduleEntity schedule) {
        task.submittedByKeyId = schedule.createdByKeyId;
        task.submittedBy = schedule.createdBy;
    }

    /** Whether the previous run's task (or, for a workflow schedule, its workflow) is still going. */
    private boolean previousRunUnfinished(ScheduleEntity schedule) {
        if (schedule.overlapPolicy == OverlapPolicy.ALLOW) {
            return false;
        }
        if (schedule.workflowTemplate != null) {
            return schedule.lastWorkflowId != null
                    && schedules.getEntityManager().find(WorkflowEntity.class, schedule.lastWorkflowId).status == WorkflowStatus.RUNNING;
        }
        return schedule.lastTaskId != null
                && tasks.findByIdOptional(schedule.lastTaskId).filter(task -> !task.status.isTerminal()).isPresent();
    }

    /** Cancels the previous run's task (a worker running it is told to kill its session), or every unfinished task of its workflow. */
    private void cancelPreviousRun(ScheduleEntity schedule, Instant fireTime) {
        String reason = "cancelled by schedule " + schedule.id + " (" + schedule.name + "): its run due at " + fireTime
                + " replaces this one";
        if (schedule.workflowTemplate != null) {
            stateWriter.cancelWorkflowTasks(schedule.lastWorkflowId, reason);
        } else {
            stateWriter.cancel(schedule.lastTaskId, reason);
        }
    }

    private static boolean reachedMaxRuns(ScheduleEntity schedule) {
        return schedule.maxRuns != null && schedule.runsFired >= schedule.maxRuns;
    }

    /** The failure as a run's reason: the innermost message that says something, with the exception types along the way. */
    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() <= REASON_MAX ? message : message.substring(0, REASON_MAX);
    }
}
