package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.IllegalTransitionException;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.PgNotify;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The only code that changes a task's status. Each change is checked against {@link TaskStatus}'s
 * transition table, stamped, announced through the outbox, and carried on to the task's dependents:
 * a success releases the dependents whose last dependency it was, any other ending fails them.
 * Callers hold a transaction; the task row must have been locked with {@link TaskRepository#lockForUpdate}.
 */
@ApplicationScoped
public class TaskStateWriter {

    private static final Logger LOG = Logger.getLogger(TaskStateWriter.class);

    private final TaskRepository tasks;
    private final TaskAttemptRepository attempts;
    private final Outbox outbox;
    private final TopicNames topics;

    public TaskStateWriter(TaskRepository tasks, TaskAttemptRepository attempts, Outbox outbox, TopicNames topics) {
        this.tasks = tasks;
        this.attempts = attempts;
        this.outbox = outbox;
        this.topics = topics;
    }

    /** Moves a locked task to {@code next}; throws {@link IllegalTransitionException} if the table forbids it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void transition(TaskEntity task, TaskStatus next, String reason) {
        changeStatus(task, next, reason);
        if (next.isTerminal()) {
            carryOnToDependents(task);
        }
    }

    private void changeStatus(TaskEntity task, TaskStatus next, String reason) {
        TaskStatus previous = task.status;
        if (!previous.canTransitionTo(next)) {
            throw new IllegalTransitionException(previous, next);
        }
        Instant now = Instant.now();
        task.status = next;
        task.statusReason = reason;
        task.updatedAt = now;
        switch (next) {
            case QUEUED -> {
                task.readyAt = now;
                PgNotify.send(tasks.getEntityManager(), PgNotify.TASK_READY_CHANNEL);
            }
            case DISPATCHED -> task.dispatchedAt = now;
            case RUNNING -> task.startedAt = now;
            default -> {}
        }
        if (next.isTerminal()) {
            task.finishedAt = now;
        }
        if (next == TaskStatus.RUNNING || next.isTerminal()) {
            outbox.append(topics.taskLifecycle(), task.id.toString(), new TaskLifecycleEvent(
                    UUID.randomUUID(), task.id, task.currentAttempt, next, reason, task.totalCostUsd, now));
        }
    }

    /**
     * Cancels a task that has not finished: the current attempt is closed and, if a worker may hold it, the
     * workers are told to kill its session. Dependents that wait on it end as UPSTREAM_FAILED.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity cancel(UUID taskId, String reason) {
        TaskEntity task = tasks.lockForUpdate(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        if (task.status.isTerminal()) {
            throw new TaskAlreadyFinishedException(taskId, task.status);
        }
        boolean workerMayHoldIt = task.status == TaskStatus.DISPATCHED || task.status == TaskStatus.RUNNING;
        transition(task, TaskStatus.CANCELLED, reason);
        if (workerMayHoldIt) {
            closeAttempt(task, TaskStatus.CANCELLED, reason);
            outbox.append(topics.workerCommands(), task.id.toString(), new WorkerCommand(
                    WorkerCommand.Type.CANCEL, task.id, task.currentAttempt, reason, Instant.now()));
        }
        return task;
    }

    /** Marks the task's current attempt row finished, if it is still open. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void closeAttempt(TaskEntity task, TaskStatus status, String reason) {
        attempts.find(task.id, task.currentAttempt).ifPresent(attempt -> {
            if (attempt.finishedAt == null) {
                attempt.status = status;
                attempt.reason = reason;
                attempt.finishedAt = Instant.now();
                attempt.leaseExpiresAt = null;
            }
        });
    }

    /** Walks the graph below a finished task breadth-first (a worklist, so a long chain cannot overflow the stack). */
    private void carryOnToDependents(TaskEntity first) {
        Deque<TaskEntity> finished = new ArrayDeque<>();
        finished.add(first);
        while (!finished.isEmpty()) {
            TaskEntity parent = finished.poll();
            for (TaskEntity dependent : tasks.lockWaitingDependentsOf(parent.id)) {
                if (parent.status.satisfiesDependents()) {
                    dependent.unmetDependencies--;
                    dependent.updatedAt = Instant.now();
                    if (dependent.unmetDependencies == 0) {
                        changeStatus(dependent, TaskStatus.QUEUED, null);
                    }
                } else {
                    String reason = "dependency " + parent.id + " ended " + parent.status
                            + (parent.statusReason == null ? "" : ": " + parent.statusReason);
                    LOG.debugf("Task %s will not run: %s", dependent.id, reason);
                    changeStatus(dependent, TaskStatus.UPSTREAM_FAILED, reason);
                    finished.add(dependent);
                }
            }
        }
    }

    /** Exposed for callers that create an attempt row in the same transaction as a dispatch. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskAttemptEntity openAttempt(TaskEntity task, UUID sessionId) {
        TaskAttemptEntity attempt = new TaskAttemptEntity();
        attempt.key = new TaskAttemptEntity.Key(task.id, task.currentAttempt);
        attempt.status = TaskStatus.DISPATCHED;
        attempt.sessionId = sessionId;
        attempt.dispatchedAt = Instant.now();
        attempts.persist(attempt);
        return attempt;
    }
}
