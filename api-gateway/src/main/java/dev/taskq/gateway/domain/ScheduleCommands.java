package dev.taskq.gateway.domain;

import dev.taskq.common.schedule.CronExpression;
import dev.taskq.common.schedule.MissedRunPolicy;
import dev.taskq.common.schedule.OverlapPolicy;
import dev.taskq.common.schedule.ScheduleStatus;
import dev.taskq.common.schedule.ScheduleTimes;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator.PlannedWorkflow;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.store.schedule.ScheduleEntity;
import dev.taskq.store.schedule.ScheduleRepository;
import dev.taskq.store.schedule.TaskTemplate;
import dev.taskq.store.schedule.WorkflowTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The gateway's schedule writes. A schedule's task template is checked exactly like a submission (the same
 * SubmissionRules and notify checks), and its workflow template exactly like a workflow submission
 * ({@link WorkflowCommands#plan}), so a schedule never creates a task or workflow the API would have refused; every rule is
 * checked before anything is written, and every problem names its field ({@code cron}, {@code task.prompt}, …).
 */
@ApplicationScoped
public class ScheduleCommands {

    private static final int NAME_MAX = 200;
    private static final int MAX_STEP_DELAY_SECONDS = 366 * 24 * 3600;

    private final SubmissionRules submissionRules;
    private final WorkflowCommands workflows;
    private final NotificationCommands notifications;
    private final TaskRepository tasks;
    private final ScheduleRepository schedules;
    private final GatewayConfig.Schedules config;
    private final SubmissionGate gate;
    private final Audit audit;

    public ScheduleCommands(SubmissionRules submissionRules, WorkflowCommands workflows, NotificationCommands notifications,
                            TaskRepository tasks, ScheduleRepository schedules, GatewayConfig config, SubmissionGate gate,
                            Audit audit) {
        this.submissionRules = submissionRules;
        this.workflows = workflows;
        this.notifications = notifications;
        this.tasks = tasks;
        this.schedules = schedules;
        this.config = config.schedules();
        this.gate = gate;
        this.audit = audit;
    }

    /**
     * Creates an ACTIVE schedule whose first fire time is the first one after now. {@code templateErrors} are the
     * task template's annotation violations (already prefixed {@code task.}), reported together with the rest.
     */
    @Transactional
    public ScheduleEntity create(ScheduleDraft draft, List<FieldError> templateErrors) {
        List<FieldError> errors = new ArrayList<>(templateErrors);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (draft.name() == null || draft.name().isBlank()) {
            errors.add(new FieldError("name", "is required: a name people recognise the schedule by"));
        } else if (draft.name().length() > NAME_MAX || draft.name().indexOf('\0') >= 0) {
            errors.add(new FieldError("name", "must be at most " + NAME_MAX + " characters, without NUL"));
        }
        if (draft.task() != null && draft.workflow() != null) {
            errors.add(new FieldError("workflow", "send exactly one of task (each run creates one task) and workflow (each run "
                    + "creates the whole workflow)"));
        }

        CronExpression cron = null;
        Instant runAt = null;
        ZoneId zone = ZoneId.of("UTC");
        if (draft.timezone() != null) {
            try {
                zone = ZoneId.of(draft.timezone());
            } catch (DateTimeException e) {
                errors.add(new FieldError("timezone", "must be an IANA time zone such as Europe/London or America/New_York, got '"
                        + draft.timezone() + "'"));
            }
        }
        if ((draft.cron() == null) == (draft.runAt() == null)) {
            errors.add(new FieldError(draft.cron() == null ? "cron" : "runAt",
                    "send exactly one of cron (recurring) and runAt (once)"));
        } else if (draft.cron() != null) {
            try {
                cron = CronExpression.parse(draft.cron());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("cron", e.getMessage()));
            }
        } else {
            runAt = instant("runAt", draft.runAt(), errors);
            if (runAt != null && !runAt.isAfter(now)) {
                errors.add(new FieldError("runAt", "is in the past (" + runAt + "); a one-time schedule must fire after now"));
            }
        }
        Instant startAt = instant("startAt", draft.startAt(), errors);
        Instant endAt = instant("endAt", draft.endAt(), errors);
        if (startAt != null && endAt != null && endAt.isBefore(startAt)) {
            errors.add(new FieldError("endAt", "is before startAt; the schedule would never fire"));
        }
        if (runAt != null && (startAt != null || endAt != null)) {
            errors.add(new FieldError(startAt != null ? "startAt" : "endAt", "only applies to cron schedules; runAt fires once"));
        }
        MissedRunPolicy missedRunPolicy = draft.missedRunPolicy() == null ? MissedRunPolicy.SKIP
                : MissedRunPolicy.fromWire(draft.missedRunPolicy()).orElse(null);
        if (missedRunPolicy == null) {
            errors.add(new FieldError("missedRunPolicy", "must be skip, catchup or fail, got '" + draft.missedRunPolicy() + "'"));
        }
        OverlapPolicy overlapPolicy = draft.overlapPolicy() == null ? OverlapPolicy.SKIP
                : OverlapPolicy.fromWire(draft.overlapPolicy()).orElse(null);
        if (overlapPolicy == null) {
            errors.add(new FieldError("overlapPolicy", "must be skip, allow or cancel, got '" + draft.overlapPolicy() + "'"));
        }
        int maxCatchup = draft.maxCatchup() == null ? config.defaultMaxCatchup() : draft.maxCatchup();
        if (maxCatchup < 1 || maxCatchup > config.maxCatchupLimit()) {
            errors.add(new FieldError("maxCatchup", "must be from 1 to " + config.maxCatchupLimit() + ", got " + maxCatchup));
        }
        if (draft.maxRuns() != null && draft.maxRuns() < 1) {
            errors.add(new FieldError("maxRuns", "must be at least 1, got " + draft.maxRuns()));
        }

        TaskTemplate template = template(draft.task(), draft.notifyEntries(), "task.", errors);
        WorkflowTemplate workflowTemplate = workflowTemplate(draft.workflow(), errors);
        if (draft.task() == null && draft.workflow() == null) {
            errors.add(new FieldError("task", "is required: the task each run creates, as POST /api/v1/tasks takes it (or a "
                    + "workflow, as POST /api/v1/workflows takes it)"));
        }
        ScheduleTimes times = null;
        if (cron != null && !hasError(errors, "timezone", "startAt", "endAt")) {
            times = ScheduleTimes.cron(cron, zone, startAt, endAt);
        } else if (runAt != null) {
            times = ScheduleTimes.once(runAt);
        }
        Optional<Instant> first = times == null ? Optional.empty() : times.nextAfter(now);
        if (times != null && first.isEmpty()) {
            errors.add(new FieldError("endAt", "leaves no fire time after now; the schedule would never fire"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidScheduleException(errors);
        }

        ScheduleEntity schedule = new ScheduleEntity();
        schedule.id = UUID.randomUUID();
        schedule.name = draft.name();
        schedule.status = ScheduleStatus.ACTIVE;
        schedule.cron = cron == null ? null : cron.text();
        schedule.timezone = zone.getId();
        schedule.runAt = runAt;
        schedule.taskTemplate = template;
        schedule.workflowTemplate = workflowTemplate;
        schedule.missedRunPolicy = missedRunPolicy;
        schedule.maxCatchup = maxCatchup;
        schedule.overlapPolicy = overlapPolicy;
        schedule.startAt = startAt;
        schedule.endAt = endAt;
        schedule.maxRuns = draft.maxRuns();
        schedule.nextFireAt = first.orElseThrow();
        schedule.createdAt = now;
        schedule.updatedAt = now;
        gate.stamp(schedule);
        schedules.persist(schedule);
        audit.succeeded("schedule.create", "schedule", schedule.id);
        return schedule;
    }

    /** Stops an ACTIVE schedule from firing until it is resumed. */
    @Transactional
    public ScheduleEntity pause(UUID id) {
        ScheduleEntity schedule = locked(id);
        if (schedule.status != ScheduleStatus.ACTIVE) {
            throw new ScheduleConflictException("Schedule " + id + " is " + schedule.status + "; only an ACTIVE schedule can be paused.");
        }
        schedule.status = ScheduleStatus.PAUSED;
        schedule.updatedAt = Instant.now();
        audit.succeeded("schedule.pause", "schedule", id);
        return schedule;
    }

    /**
     * Lets a PAUSED schedule fire again from its first fire time after now: fire times that passed while it was paused
     * are skipped whatever its missed-run policy (the policy is about scheduler downtime, not a deliberate pause).
     */
    @Transactional
    public ScheduleEntity resume(UUID id) {
        ScheduleEntity schedule = locked(id);
        if (schedule.status != ScheduleStatus.PAUSED) {
            throw new ScheduleConflictException("Schedule " + id + " is " + schedule.status + "; only a PAUSED schedule can be resumed.");
        }
        Instant now = Instant.now();
        Optional<Instant> next = schedule.times().nextAfter(now);
        schedule.nextFireAt = next.orElse(null);
        schedule.status = next.isPresent() ? ScheduleStatus.ACTIVE : ScheduleStatus.COMPLETED;
        schedule.updatedAt = now;
        audit.succeeded("schedule.resume", "schedule", id);
        return schedule;
    }

    /** Ends a schedule for good; tasks it already created are left alone. */
    @Transactional
    public ScheduleEntity cancel(UUID id) {
        ScheduleEntity schedule = locked(id);
        if (schedule.status.isFinal()) {
            throw new ScheduleConflictException("Schedule " + id + " is " + schedule.status + " already.");
        }
        schedule.status = ScheduleStatus.CANCELLED;
        schedule.nextFireAt = null;
        schedule.updatedAt = Instant.now();
        audit.succeeded("schedule.cancel", "schedule", id);
        return schedule;
    }

    /** The schedule, locked for this transaction, once the caller is known to own it (or to be an admin). */
    private ScheduleEntity locked(UUID id) {
        ScheduleEntity schedule = schedules.lockForUpdate(id).orElseThrow(() -> new ScheduleNotFoundException(id));
        gate.requireOwnSchedule(schedule);
        return schedule;
    }

    /**
     * Creates a pipeline: one one-time schedule per step, step i firing {@code delaySeconds} after step i−1 (step 1
     * after now), each step's task depending on the previous step's task (added when the step fires). Steps catch up
     * after scheduler downtime and never skip for overlap, so each step creates its task.
     */
    @Transactional
    public List<ScheduleEntity> createPipeline(String name, List<PipelineStepDraft> steps, List<FieldError> templateErrors) {
        List<FieldError> errors = new ArrayList<>(templateErrors);
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required: a name people recognise the pipeline by"));
        } else if (name.length() > NAME_MAX || name.indexOf('\0') >= 0) {
            errors.add(new FieldError("name", "must be at most " + NAME_MAX + " characters, without NUL"));
        }
        if (steps == null || steps.isEmpty() || steps.size() > config.maxPipelineSteps()) {
            errors.add(new FieldError("steps", "must list 1 to " + config.maxPipelineSteps() + " steps"));
            throw new InvalidScheduleException(errors);
        }
        List<TaskTemplate> templates = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            PipelineStepDraft step = steps.get(i);
            String prefix = "steps[" + i + "].";
            if (step == null || step.task() == null) {
                errors.add(new FieldError(prefix + "task", "is required: the task this step creates"));
                templates.add(null);
                continue;
            }
            if (step.delaySeconds() != null && (step.delaySeconds() < 0 || step.delaySeconds() > MAX_STEP_DELAY_SECONDS)) {
                errors.add(new FieldError(prefix + "delaySeconds", "must be from 0 to " + MAX_STEP_DELAY_SECONDS + " seconds"));
            }
            templates.add(template(step.task(), step.notifyEntries(), prefix + "task.", errors));
        }
        if (!errors.isEmpty()) {
            throw new InvalidScheduleException(errors);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID pipelineId = UUID.randomUUID();
        Instant runAt = now;
        UUID previous = null;
        List<ScheduleEntity> created = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            runAt = runAt.plusSeconds(steps.get(i).delaySeconds() == null ? 0 : steps.get(i).delaySeconds());
            ScheduleEntity schedule = new ScheduleEntity();
            schedule.id = UUID.randomUUID();
            schedule.name = name + " step " + (i + 1);
            schedule.status = ScheduleStatus.ACTIVE;
            schedule.timezone = "UTC";
            schedule.runAt = runAt;
            schedule.taskTemplate = templates.get(i);
            schedule.missedRunPolicy = MissedRunPolicy.CATCHUP;
            schedule.maxCatchup = 1;
            schedule.overlapPolicy = OverlapPolicy.ALLOW;
            schedule.nextFireAt = runAt;
            schedule.pipelineId = pipelineId;
            schedule.pipelineStep = i + 1;
            schedule.afterScheduleId = previous;
            schedule.createdAt = now;
            schedule.updatedAt = now;
            gate.stamp(schedule);
            schedules.persist(schedule);
            // Persisted one by one in step order: each step's after_schedule_id references the row before it.
            schedules.flush();
            created.add(schedule);
            previous = schedule.id;
        }
        audit.succeeded("pipeline.create", "pipeline", pipelineId, steps.size() + " steps");
        return created;
    }

    /** The task template, checked by the submission rules; its problems are added to {@code errors} as prefix + field. */
    private TaskTemplate template(TaskDraft draft, List<NotifyEntry> notifyEntries, String prefix, List<FieldError> errors) {
        if (draft == null) {
            return null;
        }
        NewTask task = null;
        try {
            task = submissionRules.resolve(draft);
        } catch (InvalidRequestException e) {
            e.errors().forEach(error -> errors.add(new FieldError(prefix + error.field(), error.message())));
        }
        if (task != null) {
            // The tasks it creates will need the pool; quotas apply when they are created, not to the template.
            gate.admitTemplate(task, prefix);
        }
        if (task != null && !task.dependsOn().isEmpty()) {
            Set<UUID> known = new HashSet<>(tasks.getEntityManager()
                    .createQuery("select t.id from TaskEntity t where t.id in :ids", UUID.class)
                    .setParameter("ids", task.dependsOn()).getResultList());
            for (int i = 0; i < task.dependsOn().size(); i++) {
                if (!known.contains(task.dependsOn().get(i))) {
                    errors.add(new FieldError(prefix + "dependsOn[" + i + "]", "no task exists with id " + task.dependsOn().get(i)));
                }
            }
        }
        List<TaskNotificationEntity> notify = List.of();
        try {
            notify = notifications.resolveNotify(notifyEntries);
        } catch (InvalidNotificationException e) {
            e.errors().forEach(error -> errors.add(new FieldError(prefix + error.field(), error.message())));
        }
        return task == null ? null : TaskTemplate.of(task, notify);
    }

    /**
     * The workflow template, checked exactly as POST /api/v1/workflows checks a workflow; its problems are added to
     * {@code errors} named {@code workflow.<field>}. Its tasks keep the ids the check planned them with, as template ids.
     */
    private WorkflowTemplate workflowTemplate(WorkflowDraft draft, List<FieldError> errors) {
        if (draft == null) {
            return null;
        }
        List<FieldError> workflowErrors = new ArrayList<>();
        PlannedWorkflow planned = workflows.plan(UUID.randomUUID(), draft, workflowErrors, null);
        workflowErrors.forEach(error -> errors.add(new FieldError("workflow." + error.field(), error.message())));
        if (!workflowErrors.isEmpty()) {
            return null;
        }
        for (int i = 0; i < planned.tasks().size(); i++) {
            // As for a task template: the pools and the task policy now, quotas when its runs create the tasks.
            gate.admitTemplate(planned.tasks().get(i).task(), "workflow.tasks[" + i + "].");
        }
        return new WorkflowTemplate(planned.name(), planned.metadata(), planned.tasks().stream()
                .map(task -> new WorkflowTemplate.Node(task.id(), task.ref(), TaskTemplate.of(task.task(), task.notifications())))
                .toList());
    }

    private static Instant instant(String field, String text, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO 8601 date-time with an offset, e.g. 2026-05-01T09:00:00+02:00, got '" + text + "'"));
            return null;
        }
    }

    private static boolean hasError(List<FieldError> errors, String... fields) {
        Set<String> names = Set.of(fields);
        return errors.stream().anyMatch(error -> names.contains(error.field()));
    }
}
