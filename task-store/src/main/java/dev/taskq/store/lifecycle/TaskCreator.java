package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.DependencyFailurePolicy.Reaction;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskDependencyEntity;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.store.persistence.WorkflowEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one way tasks come into existence, whoever asks (a client through api-gateway, a schedule firing in
 * scheduler-service), one task or a whole workflow at a time. Runs inside the caller's transaction, so whatever
 * the caller writes with it (a schedule run, an idempotency key) commits or rolls back together with the tasks.
 */
@ApplicationScoped
public class TaskCreator {

    /**
     * One task to create, with the id it gets (so other tasks of the same request can depend on it).
     *
     * @param submittedBySession the Claude Code session that asked for it; null when none was named
     */
    public record PlannedTask(UUID id, String ref, NewTask task, List<TaskNotificationEntity> notifications,
                              String submittedBySession) {

        /** A task no named session asked for. */
        public PlannedTask(UUID id, String ref, NewTask task, List<TaskNotificationEntity> notifications) {
            this(id, ref, task, notifications, null);
        }
    }

    /**
     * A workflow to create: its tasks may depend on each other (by id) and on tasks that already exist.
     *
     * @param submittedBySession the Claude Code session that submitted it; null when none was named
     */
    public record PlannedWorkflow(UUID id, String name, Map<String, String> metadata, List<PlannedTask> tasks,
                                  String submittedBySession) {

        /** A workflow no named session submitted. */
        public PlannedWorkflow(UUID id, String name, Map<String, String> metadata, List<PlannedTask> tasks) {
            this(id, name, metadata, tasks, null);
        }
    }

    private final TaskRepository tasks;
    private final TaskStateWriter stateWriter;

    public TaskCreator(TaskRepository tasks, TaskStateWriter stateWriter) {
        this.tasks = tasks;
        this.stateWriter = stateWriter;
    }

    /** Creates one task with a fresh id; see {@link #create(UUID, NewTask, List)}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity create(NewTask newTask, List<TaskNotificationEntity> notify) {
        return create(UUID.randomUUID(), newTask, notify);
    }

    /**
     * Creates a validated task with its dependency edges and notify entries. Its dependencies are locked FOR SHARE
     * first, so none of them can finish between deciding what they mean for the task and writing the edges (a
     * finishing task needs FOR UPDATE, and then finds this task among its dependents). The task is QUEUED (and the
     * release loop notified) when no dependency holds it back, WAITING otherwise, and at once UPSTREAM_FAILED or
     * SKIPPED when a dependency already ended in a way its failure policy cannot accept. Throws
     * {@link UnknownDependenciesException} when a dependency does not exist.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity create(UUID id, NewTask newTask, List<TaskNotificationEntity> notify) {
        return create(new PlannedTask(id, null, newTask, notify));
    }

    /** Creates one task outside any workflow, as {@link #create(UUID, NewTask, List)} does, with its submitting session. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity create(PlannedTask planned) {
        return createAll(null, 0, List.of(planned)).getFirst();
    }

    /**
     * Creates a workflow and all its tasks, or nothing: the same rules as for one task, applied to the graph. Tasks
     * are written dependencies first, so every edge and {@code continueFrom} points at a row that exists. Throws
     * {@link IllegalArgumentException} for a cycle (callers validate first and give the client a better message).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WorkflowEntity createWorkflow(PlannedWorkflow planned) {
        Instant now = now();
        WorkflowEntity workflow = new WorkflowEntity();
        workflow.id = planned.id();
        workflow.name = planned.name();
        workflow.metadata = planned.metadata() == null ? Map.of() : planned.metadata();
        workflow.status = WorkflowStatus.RUNNING;
        workflow.unfinishedTasks = planned.tasks().size();
        workflow.submittedBySession = planned.submittedBySession();
        workflow.createdAt = now;
        workflow.updatedAt = now;
        tasks.getEntityManager().persist(workflow);
        // Tasks reference the workflow by foreign key: its row must be inserted before theirs.
        tasks.getEntityManager().flush();
        createAll(workflow.id, 0, planned.tasks());
        return workflow;
    }

    /**
     * Adds tasks to an existing workflow (a manual retry of one of its tasks, with the dependents that never ran),
     * reopening it if it had finished. The workflow row must be locked by the caller.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TaskEntity> addToWorkflow(WorkflowEntity workflow, List<PlannedTask> planned) {
        workflow.unfinishedTasks += planned.size();
        workflow.status = WorkflowStatus.RUNNING;
        workflow.finishedAt = null;
        workflow.updatedAt = now();
        tasks.getEntityManager().flush();
        Integer lastPosition = tasks.getEntityManager()
                .createQuery("select max(t.workflowPosition) from TaskEntity t where t.workflowId = :workflow", Integer.class)
                .setParameter("workflow", workflow.id)
                .getSingleResult();
        return createAll(workflow.id, lastPosition == null ? 0 : lastPosition + 1, planned);
    }

    private List<TaskEntity> createAll(UUID workflowId, int firstPosition, List<PlannedTask> planned) {
        Map<UUID, PlannedTask> plannedById = new LinkedHashMap<>();
        Map<UUID, Integer> positions = new HashMap<>();
        for (PlannedTask task : planned) {
            plannedById.put(task.id(), task);
            positions.put(task.id(), firstPosition + positions.size());
        }
        Set<UUID> existingIds = planned.stream()
                .flatMap(task -> task.task().dependsOn().stream())
                .filter(dependency -> !plannedById.containsKey(dependency))
                .collect(Collectors.toCollection(HashSet::new));
        Map<UUID, TaskEntity> existing = tasks.lockForShare(existingIds).stream()
                .collect(Collectors.toMap(task -> task.id, Function.identity()));
        List<UUID> unknown = existingIds.stream().filter(id -> !existing.containsKey(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new UnknownDependenciesException(unknown);
        }

        Instant now = now();
        Map<UUID, TaskEntity> created = new LinkedHashMap<>();
        Map<TaskEntity, Decision> decidedAtOnce = new LinkedHashMap<>();
        for (PlannedTask plannedTask : dependenciesFirst(plannedById)) {
            NewTask newTask = plannedTask.task();
            if (newTask.continueFrom() != null && !newTask.dependsOn().contains(newTask.continueFrom())) {
                throw new IllegalArgumentException("continueFrom " + newTask.continueFrom() + " must be one of the dependencies");
            }
            TaskEntity task = newEntity(plannedTask, workflowId, now);
            if (workflowId != null) {
                task.workflowPosition = positions.get(task.id);
            }
            DependencyFailurePolicy policy = task.onDependencyFailure;
            // In request order, so a reason names the first dependency the client listed.
            for (UUID dependencyId : newTask.dependsOn()) {
                TaskEntity dependency = existing.get(dependencyId);
                if (dependency == null || !policy.isResolvedBy(dependency.status)) {
                    task.unmetDependencies++;
                }
                if (dependency != null && dependency.status.isTerminal() && !decidedAtOnce.containsKey(task)) {
                    Reaction reaction = policy.onDependencyEnded(dependency.status);
                    if (reaction != Reaction.RESOLVED) {
                        decidedAtOnce.put(task, new Decision(reaction, TaskStateWriter.dependencyReason(dependency)));
                    }
                }
            }
            task.status = task.unmetDependencies == 0 ? TaskStatus.QUEUED : TaskStatus.WAITING;
            if (task.status == TaskStatus.QUEUED) {
                task.readyAt = now;
            }
            tasks.persist(task);
            created.put(task.id, task);
            for (UUID dependsOn : newTask.dependsOn()) {
                tasks.getEntityManager().persist(new TaskDependencyEntity(task.id, dependsOn));
            }
            for (TaskNotificationEntity entry : plannedTask.notifications()) {
                entry.key = new TaskNotificationEntity.Key(task.id, entry.key.position());
                tasks.getEntityManager().persist(entry);
            }
        }
        // After every row and edge exists, so the cascade reaches new dependents too (its dependents query reads the
        // database, hence the flush). A task the cascade already ended (its new dependency was decided first) keeps
        // that ending.
        if (!decidedAtOnce.isEmpty()) {
            tasks.getEntityManager().flush();
        }
        decidedAtOnce.forEach((task, decision) -> {
            if (!task.status.isTerminal()) {
                stateWriter.transition(task, decision.status(), decision.reason());
            }
        });
        return planned.stream().map(task -> created.get(task.id())).toList();
    }

    private record Decision(TaskStatus status, String reason) {
        Decision(Reaction reaction, String reason) {
            this(reaction == Reaction.SKIPPED ? TaskStatus.SKIPPED : TaskStatus.UPSTREAM_FAILED, reason);
        }
    }

    private static TaskEntity newEntity(PlannedTask planned, UUID workflowId, Instant now) {
        NewTask newTask = planned.task();
        TaskEntity task = new TaskEntity();
        task.id = planned.id();
        task.workflowId = workflowId;
        task.workflowRef = planned.ref();
        task.submittedBySession = planned.submittedBySession();
        task.prompt = newTask.prompt();
        task.priority = (short) newTask.priority();
        task.effectivePriority = task.priority;
        task.pool = newTask.pool();
        task.workingDir = newTask.workingDir();
        task.timeoutSeconds = newTask.timeoutSeconds();
        task.maxTurns = newTask.maxTurns();
        task.model = newTask.model();
        task.maxBudgetUsd = newTask.maxBudgetUsd();
        task.allowedTools = newTask.allowedTools() == null ? List.of() : List.copyOf(newTask.allowedTools());
        task.disallowedTools = newTask.disallowedTools() == null ? List.of() : List.copyOf(newTask.disallowedTools());
        task.appendSystemPrompt = newTask.appendSystemPrompt();
        task.permissionMode = newTask.permissionMode();
        if (newTask.repo() != null) {
            task.repoUrl = newTask.repo().url();
            task.repoRef = newTask.repo().ref();
        }
        if (newTask.command() != null) {
            task.kind = newTask.kind();
            task.command = newTask.command().argv();
            task.shell = newTask.command().shell();
        }
        task.agent = newTask.agent();
        task.metadata = newTask.metadata() == null ? Map.of() : newTask.metadata();
        task.maxAttempts = newTask.maxAttempts();
        NewTask.Retries retries = newTask.retriesOrDefault();
        task.retryBackoffMs = retries.initialBackoff().toMillis();
        task.retryMaxBackoffMs = retries.maxBackoff().toMillis();
        task.retryOnTimeout = retries.onTimeout();
        task.onDependencyFailure = newTask.dependencyFailurePolicy();
        task.continueFrom = newTask.continueFrom();
        task.concurrencyKey = newTask.concurrencyKey();
        if (newTask.lineage() != null) {
            task.retryOf = newTask.lineage().retryOf();
            task.parentTaskId = newTask.lineage().parentTaskId();
            task.resumeSessionId = newTask.lineage().resumeSessionId();
            task.resumeWorkerId = newTask.lineage().resumeWorkerId();
        }
        task.createdAt = now;
        task.updatedAt = now;
        return task;
    }

    /** Kahn's algorithm over the edges between planned tasks; throws on a cycle. */
    private static List<PlannedTask> dependenciesFirst(Map<UUID, PlannedTask> plannedById) {
        Map<UUID, Integer> pending = new HashMap<>();
        Map<UUID, List<UUID>> dependents = new HashMap<>();
        for (PlannedTask task : plannedById.values()) {
            int inside = 0;
            for (UUID dependency : task.task().dependsOn()) {
                if (plannedById.containsKey(dependency)) {
                    inside++;
                    dependents.computeIfAbsent(dependency, key -> new ArrayList<>()).add(task.id());
                }
            }
            pending.put(task.id(), inside);
        }
        Deque<UUID> ready = new ArrayDeque<>();
        plannedById.keySet().stream().filter(id -> pending.get(id) == 0).forEach(ready::add);
        List<PlannedTask> ordered = new ArrayList<>(plannedById.size());
        while (!ready.isEmpty()) {
            UUID id = ready.poll();
            ordered.add(plannedById.get(id));
            for (UUID dependent : dependents.getOrDefault(id, List.of())) {
                if (pending.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (ordered.size() != plannedById.size()) {
            throw new IllegalArgumentException("the tasks' dependencies form a cycle");
        }
        return ordered;
    }

    // Postgres keeps microseconds: truncating here makes a response equal what a later read returns.
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
