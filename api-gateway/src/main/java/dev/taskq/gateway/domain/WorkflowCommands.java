package dev.taskq.gateway.domain;

import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.workflow.WorkflowGraph;
import dev.taskq.common.workflow.WorkflowGraph.Dependency;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.persistence.IdempotencyKeys;
import dev.taskq.gateway.persistence.WorkflowDetails;
import dev.taskq.gateway.persistence.WorkflowQueries;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator;
import dev.taskq.store.lifecycle.TaskCreator.PlannedTask;
import dev.taskq.store.lifecycle.TaskCreator.PlannedWorkflow;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.notification.WorkflowNotificationEntity;
import dev.taskq.store.notification.WorkflowNotificationRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import dev.taskq.store.persistence.WorkflowEntity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The gateway's workflow writes: creating a whole DAG of tasks in one transaction, and cancelling what is left of one.
 * Every rule of the graph and of each task is checked before anything is written, and each problem names its field
 * ({@code tasks[3].dependsOn[0]}, …), with a fixed number of queries whatever the workflow's size.
 */
@ApplicationScoped
public class WorkflowCommands {

    private static final int NAME_MAX = 200;

    private final SubmissionRules rules;
    private final NotificationCommands notifications;
    private final TaskCreator creator;
    private final TaskStateWriter stateWriter;
    private final TaskRepository tasks;
    private final WorkflowQueries queries;
    private final IdempotencyKeys idempotencyKeys;
    private final MeterRegistry meters;
    private final GatewayConfig.Workflows config;
    private final WorkflowNotificationRepository workflowNotifications;
    private final SubmissionGate gate;
    private final Audit audit;

    public WorkflowCommands(SubmissionRules rules, NotificationCommands notifications, TaskCreator creator,
                            TaskStateWriter stateWriter, TaskRepository tasks, WorkflowQueries queries,
                            IdempotencyKeys idempotencyKeys, MeterRegistry meters, GatewayConfig config,
                            WorkflowNotificationRepository workflowNotifications, SubmissionGate gate, Audit audit) {
        this.rules = rules;
        this.notifications = notifications;
        this.creator = creator;
        this.stateWriter = stateWriter;
        this.tasks = tasks;
        this.queries = queries;
        this.idempotencyKeys = idempotencyKeys;
        this.meters = meters;
        this.config = config.workflows();
        this.workflowNotifications = workflowNotifications;
        this.gate = gate;
        this.audit = audit;
    }

    /**
     * Creates the workflow and all its tasks, or nothing. {@code requestErrors} are the request's annotation
     * violations (already named {@code tasks[i].<field>}), reported together with the rest. The idempotency key, if
     * any, is claimed first, as for a single task. The workflow and its tasks record {@code submittedBySession}, the
     * Claude Code session asking (null for none).
     */
    @Transactional
    public Submitted<WorkflowDetails> create(WorkflowDraft draft, List<FieldError> requestErrors, IdempotencyKey key,
                                             String submittedBySession) {
        UUID workflowId = UUID.randomUUID();
        Optional<UUID> earlier = idempotencyKeys.earlierResource(key, workflowId, "workflow");
        if (earlier.isPresent()) {
            return Submitted.replayed(queries.details(earlier.get()).orElseThrow(() -> new WorkflowNotFoundException(earlier.get())));
        }
        List<FieldError> errors = new ArrayList<>(requestErrors);
        PlannedWorkflow plannedWorkflow = plan(workflowId, draft, errors, submittedBySession);
        List<TaskNotificationEntity> workflowNotify = List.of();
        try {
            workflowNotify = notifications.resolveWorkflowNotify(draft.notifyEntries());
        } catch (InvalidNotificationException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidWorkflowException(errors);
        }
        gate.admit(plannedWorkflow.tasks().stream().map(PlannedTask::task).toList(), index -> "tasks[" + index + "].");
        WorkflowEntity workflow = creator.createWorkflow(plannedWorkflow);
        List<WorkflowNotificationEntity> notifyRows = new ArrayList<>(workflowNotify.size());
        for (TaskNotificationEntity entry : workflowNotify) {
            WorkflowNotificationEntity row = WorkflowNotificationEntity.of(workflow.id, entry);
            workflowNotifications.persist(row);
            notifyRows.add(row);
        }
        List<PlannedTask> planned = plannedWorkflow.tasks();
        // The created rows are still in the persistence context: reading them back costs no query.
        List<WorkflowDetails.Node> created = new ArrayList<>(planned.size());
        for (PlannedTask plannedTask : planned) {
            TaskEntity task = tasks.findById(plannedTask.id());
            gate.stamp(task);
            TaskCommands.countSubmitted(meters, task);
            created.add(new WorkflowDetails.Node(task.id, task.workflowRef, task.status, task.statusReason,
                    task.onDependencyFailure, task.retryOf, plannedTask.task().dependsOn()));
        }
        audit.succeeded("workflow.submit", "workflow", workflowId, created.size() + " tasks");
        return Submitted.created(new WorkflowDetails(workflow, created, notifyRows));
    }

    /**
     * Checks a workflow by every rule of a submission (graph, each task, notify entries, existing dependencies) and
     * plans it with id {@code workflowId}, writing nothing. Each problem is added to {@code errors}, named as in the
     * request ({@code tasks[3].dependsOn[0]}); the plan is only meaningful when none was added (null when the task
     * list itself is unusable). A schedule's workflow template is checked with it too. The workflow and its tasks
     * record {@code submittedBySession} (null for none).
     */
    public PlannedWorkflow plan(UUID workflowId, WorkflowDraft draft, List<FieldError> errors, String submittedBySession) {
        if (draft.name() != null && (draft.name().length() > NAME_MAX || draft.name().indexOf('\0') >= 0)) {
            errors.add(new FieldError("name", "must be at most " + NAME_MAX + " characters, without NUL"));
        }
        if (draft.metadata() != null && draft.metadata().entrySet().stream()
                .anyMatch(entry -> entry.getKey().indexOf('\0') >= 0 || (entry.getValue() != null && entry.getValue().indexOf('\0') >= 0))) {
            errors.add(new FieldError("metadata", "keys and values must not contain a NUL character"));
        }
        List<WorkflowDraft.Task> nodes = draft.tasks();
        if (nodes == null || nodes.isEmpty() || nodes.size() > config.maxTasks()) {
            errors.add(new FieldError("tasks", "must list 1 to " + config.maxTasks() + " tasks (taskq.api.workflows.max-tasks), got "
                    + (nodes == null ? 0 : nodes.size())));
            return null;
        }
        int entries = nodes.stream().mapToInt(node -> node == null || node.dependsOn() == null ? 0 : node.dependsOn().size()).sum();
        if (entries > config.maxDependencies()) {
            errors.add(new FieldError("tasks", "list " + entries + " dependencies in all; a workflow may have at most "
                    + config.maxDependencies() + " (taskq.api.workflows.max-dependencies)"));
            return null;
        }

        WorkflowGraph graph = WorkflowGraph.of(nodes.stream()
                .map(node -> node == null ? new WorkflowGraph.Node(null, List.of(), null)
                        : new WorkflowGraph.Node(node.ref(), node.dependsOn(), node.continueFrom()))
                .toList());
        graph.problems().stream()
                .filter(problem -> nodes.get(problem.node()) != null)
                .forEach(problem -> errors.add(new FieldError(prefix(problem.node()) + problem.field(), problem.message())));
        UUID[] ids = new UUID[nodes.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID();
        }
        List<PlannedTask> planned = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            WorkflowDraft.Task node = nodes.get(i);
            if (node == null) {
                errors.add(new FieldError("tasks[" + i + "]", "must be a task (a JSON object), not null"));
                continue;
            }
            // The graph already counts continueFrom among the dependencies.
            List<UUID> dependsOn = graph.dependenciesOf(i).stream().map(dependency -> idOf(dependency, ids)).toList();
            UUID continueFromId = graph.continueFromOf(i).map(dependency -> idOf(dependency, ids)).orElse(null);
            NewTask task = null;
            try {
                task = rules.resolve(node.task().withDependencies(dependsOn, continueFromId));
            } catch (InvalidRequestException e) {
                prefixed(i, e.errors(), errors);
            }
            List<TaskNotificationEntity> notify = List.of();
            try {
                notify = notifications.resolveNotify(node.notifyEntries());
            } catch (InvalidNotificationException e) {
                prefixed(i, e.errors(), errors);
            }
            planned.add(new PlannedTask(ids[i], node.ref(), task, notify, submittedBySession));
        }
        List<TaskNotificationEntity> workflowNotify = List.of();
        try {
            workflowNotify = notifications.resolveWorkflowNotify(draft.notifyEntries());
        } catch (InvalidNotificationException e) {
            errors.addAll(e.errors());
        }
        Set<UUID> existingIds = graph.existingTaskIds();
        unknownTasks(nodes, graph, queries.existingTaskIds(existingIds), existingIds, errors);
        graph.findCycle().ifPresent(cycle -> errors.add(new FieldError("tasks", "the dependencies form a cycle: "
                + WorkflowGraph.describe(cycle) + " (each task depends on the one before it); remove one of these dependencies")));
        return new PlannedWorkflow(workflowId, draft.name(), draft.metadata() == null ? Map.of() : new HashMap<>(draft.metadata()),
                planned, submittedBySession);
    }

    /**
     * Cancels every unfinished task of a workflow in one transaction; tasks waiting below a cancelled one are
     * cancelled with it (see {@link TaskStateWriter#cancelWorkflowTasks}).
     */
    @Transactional
    public WorkflowDetails cancel(UUID workflowId, String reason) {
        gate.requireOwnWorkflow(workflowId);
        // The status alone, not the entity: WorkflowProgress must load the row itself, locked, to count down from its
        // current value rather than from a copy read before the lock.
        WorkflowStatus status = workflowStatus(workflowId);
        if (status != WorkflowStatus.RUNNING) {
            throw new WorkflowFinishedException(workflowId, status);
        }
        List<TaskEntity> cancelled = stateWriter.cancelWorkflowTasks(workflowId, reason);
        if (cancelled.isEmpty()) {
            // Its last task ended between the two reads.
            throw new WorkflowFinishedException(workflowId, workflowStatus(workflowId));
        }
        meters.counter("taskq.tasks.cancelled").increment(cancelled.size());
        tasks.getEntityManager().flush();
        audit.succeeded("workflow.cancel", "workflow", workflowId);
        return queries.detailsOf(tasks.getEntityManager().find(WorkflowEntity.class, workflowId));
    }

    private WorkflowStatus workflowStatus(UUID workflowId) {
        return tasks.getEntityManager()
                .createQuery("select w.status from WorkflowEntity w where w.id = :id", WorkflowStatus.class)
                .setParameter("id", workflowId)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    /** Names each dependency entry (and continueFrom) that names a task id no task has. */
    private static void unknownTasks(List<WorkflowDraft.Task> nodes, WorkflowGraph graph, Set<UUID> found, Set<UUID> asked,
                                     List<FieldError> errors) {
        if (found.size() == asked.size()) {
            return;
        }
        for (int i = 0; i < nodes.size(); i++) {
            WorkflowDraft.Task node = nodes.get(i);
            if (node == null) {
                continue;
            }
            List<String> dependsOn = node.dependsOn() == null ? List.of() : node.dependsOn();
            Set<UUID> reported = new HashSet<>();
            for (int j = 0; j < dependsOn.size(); j++) {
                if (graph.resolve(dependsOn.get(j)).orElse(null) instanceof Dependency.OnTask onTask
                        && !found.contains(onTask.taskId()) && reported.add(onTask.taskId())) {
                    errors.add(new FieldError(prefix(i) + "dependsOn[" + j + "]", "no task exists with id " + onTask.taskId()));
                }
            }
            if (graph.continueFromOf(i).orElse(null) instanceof Dependency.OnTask onTask
                    && !found.contains(onTask.taskId()) && !reported.contains(onTask.taskId())) {
                errors.add(new FieldError(prefix(i) + "continueFrom", "no task exists with id " + onTask.taskId()));
            }
        }
    }

    private static UUID idOf(Dependency dependency, UUID[] ids) {
        return switch (dependency) {
            case Dependency.OnNode onNode -> ids[onNode.index()];
            case Dependency.OnTask onTask -> onTask.taskId();
        };
    }

    private static void prefixed(int node, List<FieldError> nodeErrors, List<FieldError> errors) {
        nodeErrors.forEach(error -> errors.add(new FieldError(prefix(node) + error.field(), error.message())));
    }

    private static String prefix(int node) {
        return "tasks[" + node + "].";
    }
}
