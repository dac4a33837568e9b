package dev.taskq.gateway.domain;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.PgNotify;
import dev.taskq.store.persistence.TaskDependencyEntity;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The gateway's writes: creating a task with its dependency edges, and cancelling one. */
@ApplicationScoped
public class TaskCommands {

    private final TaskRepository tasks;
    private final TaskStateWriter stateWriter;
    private final TaskQueries queries;
    private final MeterRegistry meters;

    public TaskCommands(TaskRepository tasks, TaskStateWriter stateWriter, TaskQueries queries, MeterRegistry meters) {
        this.tasks = tasks;
        this.stateWriter = stateWriter;
        this.queries = queries;
        this.meters = meters;
    }

    /**
     * Creates the task in one transaction. Its dependencies are locked FOR SHARE first, so none of them can
     * finish between counting the unmet ones and writing the edges (a finishing task needs FOR UPDATE, and
     * then finds this task among its dependents). Returns the task as committed.
     */
    @Transactional
    public TaskDetails submit(NewTask newTask) {
        return submit(newTask, List.of());
    }

    /** As {@link #submit(NewTask)}, storing the task's notify entries (already checked) in the same transaction. */
    @Transactional
    public TaskDetails submit(NewTask newTask, List<TaskNotificationEntity> notify) {
        Map<UUID, TaskEntity> dependencies = tasks.lockForShare(newTask.dependsOn()).stream()
                .collect(Collectors.toMap(task -> task.id, Function.identity()));
        List<UUID> unknown = newTask.dependsOn().stream().filter(id -> !dependencies.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new UnknownDependenciesException(unknown);
        }

        // Postgres keeps microseconds: truncating here makes the response equal what a later read returns.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID();
        task.prompt = newTask.prompt();
        task.priority = (short) newTask.priority();
        task.pool = newTask.pool();
        task.workingDir = newTask.workingDir();
        task.timeoutSeconds = newTask.timeoutSeconds();
        task.maxTurns = newTask.maxTurns();
        task.model = newTask.model();
        task.metadata = newTask.metadata();
        task.maxAttempts = newTask.maxAttempts();
        task.unmetDependencies = (int) dependencies.values().stream()
                .filter(dependency -> !dependency.status.satisfiesDependents())
                .count();
        task.status = task.unmetDependencies == 0 ? TaskStatus.QUEUED : TaskStatus.WAITING;
        task.createdAt = now;
        task.updatedAt = now;
        if (task.status == TaskStatus.QUEUED) {
            task.readyAt = now;
        }
        tasks.persist(task);
        for (UUID dependsOn : newTask.dependsOn()) {
            tasks.getEntityManager().persist(new TaskDependencyEntity(task.id, dependsOn));
        }
        for (TaskNotificationEntity entry : notify) {
            entry.key = new TaskNotificationEntity.Key(task.id, entry.key.position());
            tasks.getEntityManager().persist(entry);
        }
        if (task.status == TaskStatus.QUEUED) {
            PgNotify.send(tasks.getEntityManager(), PgNotify.TASK_READY_CHANNEL);
        }

        // In request order, so the reason names the first failed dependency the client listed.
        newTask.dependsOn().stream()
                .map(dependencies::get)
                .filter(dependency -> dependency.status.isTerminal() && !dependency.status.satisfiesDependents())
                .findFirst()
                .ifPresent(failed -> stateWriter.transition(task, TaskStatus.UPSTREAM_FAILED,
                        "dependency " + failed.id + " ended " + failed.status
                                + (failed.statusReason == null ? "" : ": " + failed.statusReason)));

        meters.counter("taskq.tasks.submitted",
                "priority.class", PriorityClass.of(newTask.priority()).name(), "pool", task.pool).increment();
        return queries.detailsOf(task);
    }

    /**
     * Cancels a task that has not finished; a worker running it is told to kill its session through the
     * outbox. Returns the task as committed; throws TaskNotFoundException or TaskAlreadyFinishedException.
     */
    @Transactional
    public TaskDetails cancel(UUID taskId, String reason) {
        TaskEntity task = stateWriter.cancel(taskId, reason);
        meters.counter("taskq.tasks.cancelled").increment();
        return queries.detailsOf(task);
    }
}
