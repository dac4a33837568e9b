package dev.taskq.gateway.domain;

import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.persistence.KeyUsage;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.schedule.ScheduleEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import dev.taskq.common.security.TaskPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.Optional;
import java.util.UUID;

/**
 * What a caller must pass before its tasks are created: the submitter role, its pools, its quotas (unfinished tasks,
 * today's cost); and the stamp each created task gets of who submitted it.
 */
@ApplicationScoped
public class SubmissionGate {

    /** Retry-After of a refusal for too many unfinished tasks: about how long a short task takes. */
    static final long RUNNING_RETRY_AFTER_SECONDS = 30;

    private final CurrentCaller caller;
    private final KeyUsage usage;
    private final TaskPolicies policies;
    private final int defaultMaxRunning;
    private final Optional<BigDecimal> defaultDailyBudget;

    public SubmissionGate(CurrentCaller caller, KeyUsage usage, TaskPolicies policies, GatewayConfig config) {
        this.caller = caller;
        this.policies = policies;
        this.usage = usage;
        this.defaultMaxRunning = config.limits().maxRunningTasks();
        this.defaultDailyBudget = config.limits().dailyBudgetUsd();
    }

    /**
     * Throws AccessDeniedException (403) unless the caller may submit into each task's pool, PolicyViolationException
     * (422) when a task breaks the task policy for the caller's role, and QuotaExceededException (429) when {@code tasks}
     * would take the key past its unfinished-task limit or its budget for today is spent.
     */
    public void admit(List<NewTask> tasks) {
        admit(tasks, index -> "");
    }

    /** As {@link #admit(List)}, naming the fields of task i with {@code fieldPrefix.apply(i)}, e.g. tasks[3]. */
    public void admit(List<NewTask> tasks, IntFunction<String> fieldPrefix) {
        caller.require(Role.SUBMITTER);
        tasks.stream().map(NewTask::pool).distinct().forEach(caller::requirePool);
        checkPolicy(tasks, fieldPrefix);
        Caller current = caller.get();
        if (current.keyId() == null) {
            return;
        }
        int maxRunning = current.limits().maxRunningTasks() == null ? defaultMaxRunning : current.limits().maxRunningTasks();
        if (maxRunning > 0) {
            // Held until this submission commits its tasks, so the next one under this key counts them.
            usage.lockQuota(current.keyId());
            long unfinished = usage.unfinishedTasks(current.keyId());
            if (unfinished + tasks.size() > maxRunning) {
                throw new QuotaExceededException("The key '" + current.name() + "' has " + unfinished + " unfinished tasks and "
                        + "may have at most " + maxRunning + "; " + tasks.size() + " more would exceed that. Wait for some to "
                        + "finish.", RUNNING_RETRY_AFTER_SECONDS);
            }
        }
        Optional<BigDecimal> budget = Optional.ofNullable(current.limits().dailyBudgetUsd()).or(() -> defaultDailyBudget);
        if (budget.isPresent()) {
            Instant midnight = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC);
            BigDecimal spent = usage.costSince(current.keyId(), midnight);
            if (spent.compareTo(budget.get()) >= 0) {
                long untilTomorrow = Duration.between(Instant.now(), midnight.plus(Duration.ofDays(1))).toSeconds() + 1;
                throw new QuotaExceededException("The key '" + current.name() + "' has spent " + spent.stripTrailingZeros()
                        .toPlainString() + " USD today (UTC) of its daily budget of " + budget.get().stripTrailingZeros()
                        .toPlainString() + " USD; submissions resume at 00:00 UTC.", untilTomorrow);
            }
        }
    }

    /**
     * Throws AccessDeniedException unless the caller may submit the template's tasks (role and pool), and
     * PolicyViolationException if they break the policy; quotas apply when the tasks are created.
     */
    public void admitTemplate(NewTask template, String fieldPrefix) {
        caller.require(Role.SUBMITTER);
        caller.requirePool(template.pool());
        checkPolicy(List.of(template), index -> fieldPrefix);
    }

    private void checkPolicy(List<NewTask> tasks, IntFunction<String> fieldPrefix) {
        Role role = caller.role();
        List<String> rules = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            for (TaskPolicy.Violation violation : policies.check(role, tasks.get(i))) {
                rules.add(violation.rule());
                errors.add(new FieldError(fieldPrefix.apply(i) + violation.field(), violation.message()
                        + " (policy rule " + violation.rule() + ")"));
            }
        }
        if (!errors.isEmpty()) {
            throw new PolicyViolationException(rules, errors);
        }
    }

    /**
     * Throws AccessDeniedException unless the caller may change the task (cancel, answer, retry, resume): an admin any,
     * a submitter only those it submitted. An unknown task passes, for the command to answer 404.
     */
    public void requireOwnTask(UUID taskId) {
        if (caller.role() != Role.ADMIN) {
            usage.submitterOf(taskId).ifPresent(submitter -> caller.requireOwner("task", taskId, submitter.keyId()));
        }
    }

    /** As {@link #requireOwnTask}, for a workflow: its tasks' submitter owns it. */
    public void requireOwnWorkflow(UUID workflowId) {
        if (caller.role() != Role.ADMIN) {
            usage.submitterOfWorkflow(workflowId).ifPresent(submitter -> caller.requireOwner("workflow", workflowId, submitter.keyId()));
        }
    }

    /**
     * Throws AccessDeniedException unless the caller may pause, resume or cancel the schedule: an admin any, a submitter
     * only those it created (a schedule a bootstrap token created belongs to admins).
     */
    public void requireOwnSchedule(ScheduleEntity schedule) {
        caller.requireOwner("schedule", schedule.id, schedule.createdByKeyId);
    }

    /** Records on a schedule being created who created it; its runs' tasks are submitted in that name. */
    public void stamp(ScheduleEntity schedule) {
        caller.find().ifPresent(current -> {
            schedule.createdByKeyId = current.keyId();
            schedule.createdBy = current.name();
        });
    }

    /** Records on a task being created who submitted it. */
    public void stamp(TaskEntity task) {
        caller.find().ifPresent(current -> {
            task.submittedByKeyId = current.keyId();
            task.submittedBy = current.name();
        });
    }
}
