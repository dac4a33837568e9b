package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.PgNotify;
import dev.taskq.store.persistence.TaskDependencyEntity;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one way a task comes into existence, whoever asks (a client through api-gateway, a schedule firing in
 * scheduler-service). Runs inside the caller's transaction, so whatever the caller writes with it (a schedule run)
 * commits or rolls back together with the task.
 */
@ApplicationScoped
public class TaskCreator {

    private final TaskRepository tasks;
    private final TaskStateWriter stateWriter;

    public TaskCreator(TaskRepository tasks, TaskStateWriter stateWriter) {
        this.tasks = tasks;
        this.stateWriter = stateWriter;
    }

    /**
     * Creates a validated task with its dependency edges and notify entries. Its dependencies are locked FOR SHARE
     * first, so none of them can finish between counting the unmet ones and writing the edges (a finishing task needs
     * FOR UPDATE, and then finds this task among its dependents). The task is QUEUED (and the release loop notified)
     * when every dependency already succeeded, WAITING otherwise, and UPSTREAM_FAILED at once when one already ended
     * any other way. Throws {@link UnknownDependenciesException} when a dependency does not exist.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity create(NewTask newTask, List<TaskNotificationEntity> notify) {
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
        return task;
    }
}
