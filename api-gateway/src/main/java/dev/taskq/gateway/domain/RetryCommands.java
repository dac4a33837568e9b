package dev.taskq.gateway.domain;

import dev.taskq.common.domain.TaskKind;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.workflow.WorkflowGraph;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.persistence.LineageQueries;
import dev.taskq.gateway.persistence.LineageQueries.TaskIdAndStatus;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator;
import dev.taskq.store.lifecycle.TaskCreator.PlannedTask;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.store.persistence.WorkflowEntity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Manual retries and resumes: both create a new task that names where it comes from, rather than reopening a task
 * that ended. An ended task's state is final (its lifecycle events and notifications are out, its dependents were
 * decided); automatic retries are the ones that are new attempts of the same task.
 */
@ApplicationScoped
public class RetryCommands {

    /** The prompt of a resume that brings no instructions of its own. */
    public static final String RESUME_PROMPT = "Continue where you left off.";

    /** Endings a manual retry accepts: the task ran (or was cancelled) and did not succeed. */
    static final Set<TaskStatus> RETRYABLE = EnumSet.of(TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.CANCELLED);

    /** A dependent re-created with a retry: its new id, the task it replaces and its ref in their workflow. */
    public record Recreated(UUID id, UUID retryOf, String workflowRef) {}

    /** What a manual retry created: the retry itself and the dependents re-created below it. */
    public record RetryOutcome(TaskDetails task, List<Recreated> dependents) {}

    private static final int WORKFLOW_REF_MAX = 100;

    private final TaskRepository tasks;
    private final TaskCreator creator;
    private final LineageQueries lineage;
    private final TaskQueries queries;
    private final MeterRegistry meters;
    private final int maxPromptChars;
    private final SubmissionGate gate;
    private final Audit audit;

    public RetryCommands(TaskRepository tasks, TaskCreator creator, LineageQueries lineage, TaskQueries queries,
                         MeterRegistry meters, GatewayConfig config, SubmissionGate gate, Audit audit) {
        this.gate = gate;
        this.audit = audit;
        this.tasks = tasks;
        this.creator = creator;
        this.lineage = lineage;
        this.queries = queries;
        this.meters = meters;
        this.maxPromptChars = config.submission().maxPromptChars();
    }

    /**
     * Creates a new task repeating one that ended FAILED, TIMED_OUT or CANCELLED: the same spec (its prompt followed
     * by {@code additionalContext}, when given), dependencies, notify entries and workflow, with {@code retryOf} naming
     * the original. With {@code includeDependents}, every task below it that never ran because of it is re-created
     * too, depending on the new tasks instead of the ones they replace. One transaction; a task is retried at most once.
     * The new tasks record {@code submittedBySession}, the Claude Code session asking, or the replaced task's when null.
     */
    @Transactional
    public RetryOutcome retry(UUID taskId, String additionalContext, boolean includeDependents, String submittedBySession) {
        gate.requireOwnTask(taskId);
        TaskEntity original = tasks.lockForUpdate(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        if (!original.status.isTerminal()) {
            throw new TaskNotRetryableException("Task " + taskId + " is " + original.status + " and has not ended; only a task that"
                    + " ended FAILED, TIMED_OUT or CANCELLED can be retried (cancel it first to start over).");
        }
        if (original.status == TaskStatus.SUCCEEDED) {
            throw new TaskNotRetryableException("Task " + taskId + " SUCCEEDED; only a task that ended FAILED, TIMED_OUT or"
                    + " CANCELLED can be retried (submit a new task to run it again).");
        }
        Optional<UUID> earlierRetry = lineage.retryOf(taskId);
        if (earlierRetry.isPresent()) {
            throw new TaskAlreadyRetriedException(taskId, earlierRetry.get());
        }
        if (!RETRYABLE.contains(original.status)) {
            throw new TaskNotRetryableException("Task " + taskId + " never ran: it ended " + original.status + " because a"
                    + " task it depends on did not succeed; " + upstreamAdvice(taskId));
        }
        String prompt = original.prompt;
        if (additionalContext != null && !additionalContext.isEmpty() && original.kind == TaskKind.COMMAND) {
            throw new TaskNotRetryableException("Task " + taskId + " is a command task, which reads no prompt: retry it "
                    + "without additionalContext (it runs the same command again)");
        }
        if (additionalContext != null && !additionalContext.isEmpty()) {
            checkContext(additionalContext, prompt.length() + 2);
            prompt = prompt + "\n\n" + additionalContext;
        }

        List<UUID> below = includeDependents ? lineage.dependentsEndedBecauseOf(taskId) : List.of();
        Map<UUID, TaskEntity> replaced = new LinkedHashMap<>();
        replaced.put(original.id, original);
        lineage.load(below).forEach(task -> replaced.put(task.id, task));
        Map<UUID, List<UUID>> dependencies = lineage.dependenciesOf(replaced.keySet());
        Map<UUID, List<TaskNotificationEntity>> notifications = lineage.notificationsOf(replaced.keySet());
        Map<UUID, UUID> newIds = new HashMap<>();
        replaced.keySet().forEach(id -> newIds.put(id, UUID.randomUUID()));

        Map<UUID, PlannedTask> planned = new LinkedHashMap<>();
        for (TaskEntity old : replaced.values()) {
            List<UUID> dependsOn = dependencies.get(old.id).stream().map(id -> newIds.getOrDefault(id, id)).toList();
            NewTask spec = specOf(old, old == original ? prompt : old.prompt, dependsOn)
                    .withContinueFrom(old.continueFrom == null ? null : newIds.getOrDefault(old.continueFrom, old.continueFrom))
                    .withLineage(new NewTask.Lineage(old.id, old.parentTaskId, old.resumeSessionId, old.resumeWorkerId));
            planned.put(old.id, new PlannedTask(newIds.get(old.id), retryRef(old.workflowRef), spec,
                    notifications.get(old.id).stream().map(RetryCommands::copyOf).toList(),
                    submittedBySession == null ? old.submittedBySession : submittedBySession));
        }
        gate.admit(planned.values().stream().map(PlannedTask::task).toList());
        List<TaskEntity> created = create(replaced, planned, dependencies);
        created.forEach(task -> {
            gate.stamp(task);
            TaskCommands.countSubmitted(meters, task);
        });
        audit.succeeded("task.retry", "task", taskId, "retry " + newIds.get(original.id));

        TaskEntity retry = created.stream().filter(task -> task.id.equals(newIds.get(original.id))).findFirst().orElseThrow();
        List<Recreated> dependents = replaced.values().stream()
                .filter(old -> old != original)
                .map(old -> new Recreated(newIds.get(old.id), old.id, planned.get(old.id).ref()))
                .toList();
        return new RetryOutcome(queries.detailsOf(retry), dependents);
    }

    /**
     * Creates a new task that continues an ended task's Claude session ({@code claude --resume}), preferably on the
     * worker that ran it; dependency-service falls back to a fresh session with a checkpoint-enriched prompt elsewhere.
     * The prompt is {@code additionalContext}, or {@value #RESUME_PROMPT} when none is given. It records
     * {@code submittedBySession}, the Claude Code session asking, or the parent's when null.
     */
    @Transactional
    public TaskDetails resume(UUID taskId, String additionalContext, String submittedBySession) {
        gate.requireOwnTask(taskId);
        TaskEntity parent = tasks.findByIdOptional(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        if (parent.kind == TaskKind.COMMAND) {
            throw new TaskNotResumableException("Task " + taskId + " is a command task: it has no Claude session to resume; "
                    + "retry it to run the command again, or submit a claude task with continueFrom " + taskId
                    + " to work on from its output");
        }
        if (!parent.status.isTerminal()) {
            throw new TaskNotResumableException("Task " + taskId + " is " + parent.status + "; a task can be resumed once it"
                    + " has ended (cancel it first to take over its session)");
        }
        // The session of the last attempt that started, with the worker that holds its transcript: a later attempt
        // that was dispatched but never started has a session id with nothing behind it.
        TaskAttemptEntity attempt = lineage.lastStartedAttempt(taskId)
                .orElseThrow(() -> new TaskNotResumableException("Task " + taskId + " ended " + parent.status
                        + " without ever starting a session, so there is nothing to resume; retry it instead"));
        String prompt = RESUME_PROMPT;
        if (additionalContext != null && !additionalContext.isBlank()) {
            checkContext(additionalContext, 0);
            prompt = additionalContext;
        }
        NewTask spec = new NewTask(prompt, parent.priority, List.of(), parent.workingDir, parent.timeoutSeconds,
                parent.maxTurns, parent.model, parent.pool, new HashMap<>(parent.metadata), parent.maxAttempts,
                retriesOf(parent), null, null, parent.concurrencyKey,
                new NewTask.Lineage(null, parent.id, attempt.sessionId, attempt.workerId), parent.maxBudgetUsd,
                parent.allowedTools, parent.disallowedTools, parent.appendSystemPrompt, parent.permissionMode,
                repoOf(parent), null, parent.agent);
        gate.admit(List.of(spec));
        TaskEntity resumed = creator.create(new PlannedTask(UUID.randomUUID(), null, spec, List.of(),
                submittedBySession == null ? parent.submittedBySession : submittedBySession));
        gate.stamp(resumed);
        audit.succeeded("task.resume", "task", taskId, "resumed as " + resumed.id);
        // Same worktree, so the session finds its transcript (the CLI keys transcripts by directory).
        resumed.workspaceId = parent.workspaceId == null ? parent.id : parent.workspaceId;
        TaskCommands.countSubmitted(meters, resumed);
        return queries.detailsOf(resumed);
    }

    /**
     * Creates the planned tasks dependencies first. Rows are locked in the order the state writer uses (task rows,
     * then workflow rows), so a retry cannot deadlock with a dependency finishing in another transaction.
     */
    private List<TaskEntity> create(Map<UUID, TaskEntity> replaced, Map<UUID, PlannedTask> planned,
                                    Map<UUID, List<UUID>> dependencies) {
        Set<UUID> outside = new HashSet<>();
        dependencies.values().forEach(outside::addAll);
        outside.removeAll(replaced.keySet());
        tasks.lockForShare(outside);
        Map<UUID, WorkflowEntity> workflows = new HashMap<>();
        new TreeSet<>(replaced.values().stream().map(task -> task.workflowId).filter(Objects::nonNull).toList())
                .forEach(id -> workflows.put(id, tasks.getEntityManager().find(WorkflowEntity.class, id, LockModeType.PESSIMISTIC_WRITE)));

        List<UUID> order = dependenciesFirst(replaced.keySet(), dependencies);
        Set<UUID> workflowIds = new HashSet<>();
        replaced.values().forEach(task -> workflowIds.add(task.workflowId));
        List<TaskEntity> created = new ArrayList<>();
        if (workflowIds.size() == 1 && workflows.size() == 1) {
            // All in one workflow (the usual case): one call, which orders them itself.
            created.addAll(creator.addToWorkflow(workflows.values().iterator().next(),
                    order.stream().map(planned::get).toList()));
            return created;
        }
        for (UUID oldId : order) {
            PlannedTask task = planned.get(oldId);
            UUID workflowId = replaced.get(oldId).workflowId;
            created.add(workflowId == null
                    ? creator.create(task)
                    : creator.addToWorkflow(workflows.get(workflowId), List.of(task)).getFirst());
        }
        return created;
    }

    private static List<UUID> dependenciesFirst(Set<UUID> ids, Map<UUID, List<UUID>> dependencies) {
        List<UUID> byId = new ArrayList<>(ids);
        WorkflowGraph graph = WorkflowGraph.of(byId.stream()
                .map(id -> new WorkflowGraph.Node(id.toString(), dependencies.get(id).stream().map(UUID::toString).toList()))
                .toList());
        return graph.topologicalOrder().stream().map(byId::get).toList();
    }

    /**
     * Where to retry instead of a task that never ran: the nearest task above it that failed, timed out or was
     * cancelled (walking up through tasks that were upstream-failed or skipped in turn).
     */
    private String upstreamAdvice(UUID taskId) {
        Deque<UUID> toVisit = new ArrayDeque<>(List.of(taskId));
        Set<UUID> seen = new HashSet<>(toVisit);
        while (!toVisit.isEmpty()) {
            for (TaskIdAndStatus dependency : lineage.dependencyStates(toVisit.poll())) {
                if (RETRYABLE.contains(dependency.status())) {
                    return "retry the upstream task " + dependency.id() + " instead (with includeDependents, its retry re-creates this one).";
                }
                if ((dependency.status() == TaskStatus.UPSTREAM_FAILED || dependency.status() == TaskStatus.SKIPPED)
                        && seen.add(dependency.id())) {
                    toVisit.add(dependency.id());
                }
            }
        }
        return "retry the upstream task that failed instead.";
    }

    private void checkContext(String additionalContext, int promptCharsBefore) {
        if (additionalContext.indexOf('\0') >= 0) {
            throw new InvalidRequestException("additionalContext", "must not contain a NUL character");
        }
        if (promptCharsBefore + additionalContext.length() > maxPromptChars) {
            throw new InvalidRequestException("additionalContext", "makes the prompt " + (promptCharsBefore + additionalContext.length())
                    + " characters long; at most " + maxPromptChars + " are accepted");
        }
    }

    /** A re-created task's ref: the original's with #2, #3, … (a '#' no client ref has, so it cannot collide). */
    static String retryRef(String ref) {
        if (ref == null) {
            return null;
        }
        int hash = ref.lastIndexOf('#');
        String base = hash < 0 ? ref : ref.substring(0, hash);
        int generation = 1;
        if (hash >= 0) {
            try {
                generation = Integer.parseInt(ref.substring(hash + 1));
            } catch (NumberFormatException e) {
                base = ref;
            }
        }
        String next = base + "#" + (generation + 1);
        // The column holds 100 characters, as many as a client's ref may have: a retry of a very long ref goes without one.
        return next.length() <= WORKFLOW_REF_MAX ? next : null;
    }

    private static NewTask specOf(TaskEntity task, String prompt, List<UUID> dependsOn) {
        return new NewTask(prompt, task.priority, dependsOn, task.workingDir, task.timeoutSeconds, task.maxTurns, task.model,
                task.pool, new HashMap<>(task.metadata), task.maxAttempts, retriesOf(task), task.onDependencyFailure,
                task.continueFrom, task.concurrencyKey, null, task.maxBudgetUsd, task.allowedTools, task.disallowedTools,
                task.appendSystemPrompt, task.permissionMode, repoOf(task),
                task.command == null ? null : new NewTask.Command(task.command, task.shell), task.agent);
    }

    private static NewTask.Retries retriesOf(TaskEntity task) {
        return new NewTask.Retries(Duration.ofMillis(task.retryBackoffMs), Duration.ofMillis(task.retryMaxBackoffMs),
                task.retryOnTimeout);
    }

    private static TaskNotificationEntity copyOf(TaskNotificationEntity entry) {
        TaskNotificationEntity copy = new TaskNotificationEntity();
        copy.key = new TaskNotificationEntity.Key(null, entry.key.position());
        copy.destinationId = entry.destinationId;
        copy.type = entry.type;
        copy.config = entry.config == null ? null : new LinkedHashMap<>(entry.config);
        copy.eventTypes = entry.eventTypes == null ? List.of() : new ArrayList<>(entry.eventTypes);
        copy.enabled = entry.enabled;
        copy.disabledReason = entry.disabledReason;
        return copy;
    }

    private static NewTask.Repo repoOf(TaskEntity task) {
        return task.repoUrl == null ? null : new NewTask.Repo(task.repoUrl, task.repoRef);
    }
}
