package dev.taskq.scheduler.domain;

import dev.taskq.common.schedule.FirePlan;
import dev.taskq.common.schedule.OverlapPolicy;
import dev.taskq.common.schedule.RunOutcome;
import dev.taskq.common.schedule.ScheduleStatus;
import dev.taskq.scheduler.config.SchedulerConfig;
import dev.taskq.scheduler.metrics.ScheduleMetrics;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.store.schedule.ScheduleEntity;
import dev.taskq.store.schedule.ScheduleRepository;
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
 * records each run (unique (schedule_id, fire_time), inserted ON CONFLICT DO NOTHING), creates the run's task through
 * {@link TaskCreator}, and advances {@code next_fire_at}: a run and its task commit together or not at all.
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);

    private final ScheduleRepository schedules;
    private final TaskRepository tasks;
    private final TaskCreator creator;
    private final TaskStateWriter stateWriter;
    private final ScheduleMetrics metrics;
    private final SchedulerConfig config;
    private final Clock clock;

    public ScheduleFirer(ScheduleRepository schedules, TaskRepository tasks, TaskCreator creator, TaskStateWriter stateWriter,
                         ScheduleMetrics metrics, SchedulerConfig config, Clock clock) {
        this.schedules = schedules;
        this.tasks = tasks;
        this.creator = creator;
        this.stateWriter = stateWriter;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** Fires up to a batch of due schedules; returns how many it claimed (a full batch means more may be due). */
    @Transactional
    public int fireDue() {
        return fireDue(clock.instant());
    }

    /** As {@link #fireDue()} at a given now: tests pick one away from a fire time, so on-time and missed never blur. */
    @Transactional
    public int fireDue(Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        List<ScheduleEntity> due = schedules.claimDue(now, config.batchSize());
        for (ScheduleEntity schedule : due) {
            fire(schedule, now);
        }
        return due.size();
    }

    /** The earliest fire time any ACTIVE schedule waits for. */
    @Transactional
    public Optional<Instant> earliestDue() {
        return schedules.earliestDue();
    }

    private void fire(ScheduleEntity schedule, Instant now) {
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
        FirePlan plan = FirePlan.plan(schedule.times(), schedule.nextFireAt, now, config.misfireThreshold(),
                schedule.missedRunPolicy, schedule.maxCatchup);
        if (plan.skipped() > 0) {
            LOG.infof("Schedule %s (%s) missed %d fire time(s) while no scheduler ran that its missed-run policy %s"
                            + " (maxCatchup %d) neither fires nor records", schedule.id, schedule.name, plan.skipped(),
                    schedule.missedRunPolicy.wire(), schedule.maxCatchup);
        }
        for (Instant missed : plan.missed()) {
            if (schedules.insertRun(schedule.id, missed, now, RunOutcome.MISSED).isPresent()) {
                metrics.run(RunOutcome.MISSED);
            }
        }
        for (Instant fireTime : plan.fire()) {
            if (reachedMaxRuns(schedule)) {
                break;
            }
            fireOnce(schedule, fireTime, now, previousStepTask);
        }
        if (reachedMaxRuns(schedule) || plan.next().isEmpty()) {
            schedule.status = ScheduleStatus.COMPLETED;
            schedule.nextFireAt = null;
        } else {
            schedule.nextFireAt = plan.next().get();
        }
        schedule.updatedAt = now;
    }

    private void fireOnce(ScheduleEntity schedule, Instant fireTime, Instant now, Optional<UUID> previousStepTask) {
        Optional<TaskEntity> unfinished = unfinishedPreviousTask(schedule);
        boolean skip = unfinished.isPresent() && schedule.overlapPolicy == OverlapPolicy.SKIP;
        RunOutcome outcome = skip ? RunOutcome.SKIPPED_OVERLAP : RunOutcome.FIRED;
        Optional<Long> run = schedules.insertRun(schedule.id, fireTime, now, outcome);
        if (run.isEmpty()) {
            // Another replica recorded this fire time already (it can only get here through a race on the claim).
            return;
        }
        metrics.run(outcome);
        if (skip) {
            return;
        }
        if (unfinished.isPresent() && schedule.overlapPolicy == OverlapPolicy.CANCEL) {
            stateWriter.cancel(unfinished.get().id, "cancelled by schedule " + schedule.id + " (" + schedule.name
                    + "): its run due at " + fireTime + " replaces this one");
        }
        NewTask template = schedule.taskTemplate.task();
        if (previousStepTask.isPresent()) {
            List<UUID> dependsOn = new ArrayList<>(template.dependsOn());
            dependsOn.add(previousStepTask.get());
            template = template.withDependsOn(List.copyOf(dependsOn));
        }
        TaskEntity task = creator.create(template, schedule.taskTemplate.notifyEntries());
        // The run's task_id and the schedule's last_task_id point at the task: flush it before the native update.
        schedules.getEntityManager().flush();
        schedules.linkRun(run.get(), task.id);
        schedule.lastTaskId = task.id;
        schedule.runsFired++;
        // Measured now, not at the pass's start: a large batch makes its last runs later than the first.
        metrics.fired(Duration.between(fireTime, clock.instant()));
    }

    private Optional<TaskEntity> unfinishedPreviousTask(ScheduleEntity schedule) {
        if (schedule.lastTaskId == null || schedule.overlapPolicy == OverlapPolicy.ALLOW) {
            return Optional.empty();
        }
        return tasks.findByIdOptional(schedule.lastTaskId).filter(task -> !task.status.isTerminal());
    }

    private static boolean reachedMaxRuns(ScheduleEntity schedule) {
        return schedule.maxRuns != null && schedule.runsFired >= schedule.maxRuns;
    }
}
