package dev.taskq.gateway.domain;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.gateway.persistence.IdempotencyKeys;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator;
import dev.taskq.store.lifecycle.TaskCreator.PlannedTask;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskEntity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The gateway's writes of single tasks: creating one with its dependency edges, cancelling one, answering its question. */
@ApplicationScoped
public class TaskCommands {

    private final SubmissionRules rules;
    private final NotificationCommands notifications;
    private final TaskCreator creator;
    private final TaskStateWriter stateWriter;
    private final TaskQueries queries;
    private final IdempotencyKeys idempotencyKeys;
    private final MeterRegistry meters;
    private final SubmissionGate gate;
    private final Audit audit;

    public TaskCommands(SubmissionRules rules, NotificationCommands notifications, TaskCreator creator,
                        TaskStateWriter stateWriter, TaskQueries queries, IdempotencyKeys idempotencyKeys, MeterRegistry meters,
                        SubmissionGate gate, Audit audit) {
        this.rules = rules;
        this.notifications = notifications;
        this.creator = creator;
        this.stateWriter = stateWriter;
        this.queries = queries;
        this.idempotencyKeys = idempotencyKeys;
        this.meters = meters;
        this.gate = gate;
        this.audit = audit;
    }

    /**
     * Checks the draft and its notify entries and creates the task in one transaction (see {@link TaskCreator#create});
     * returns it as committed. With an idempotency key, the key is claimed first in the same transaction: a repeat of
     * an earlier request returns that request's task as it is now, another request under the same key is an
     * {@link IdempotencyConflictException}, and a rejected request leaves no key behind. {@code submittedBySession} is
     * the Claude Code session asking ({@link SubmittingSession}), null for none.
     */
    @Transactional
    public Submitted<TaskDetails> submit(TaskDraft draft, List<NotifyEntry> notifyEntries, IdempotencyKey key,
                                         String submittedBySession) {
        UUID id = UUID.randomUUID();
        Optional<UUID> earlier = idempotencyKeys.earlierResource(key, id, "task");
        if (earlier.isPresent()) {
            return Submitted.replayed(queries.details(earlier.get()).orElseThrow(() -> new TaskNotFoundException(earlier.get())));
        }
        NewTask newTask = rules.resolve(draft);
        gate.admit(List.of(newTask));
        List<TaskNotificationEntity> notify = notifications.resolveNotify(notifyEntries);
        TaskEntity task = creator.create(new PlannedTask(id, null, newTask, notify, submittedBySession));
        gate.stamp(task);
        audit.succeeded("task.submit", "task", task.id, "pool " + task.pool);
        countSubmitted(meters, task);
        return Submitted.created(queries.detailsOf(task));
    }

    /**
     * Cancels a task that has not finished; a worker running it is told to kill its session through the outbox.
     * With {@code cascade} every task waiting on it is cancelled too; without, each reacts by its failure policy.
     * Returns the task as committed; throws TaskNotFoundException or TaskAlreadyFinishedException.
     */
    @Transactional
    public TaskDetails cancel(UUID taskId, String reason, boolean cascade) {
        gate.requireOwnTask(taskId);
        TaskEntity task = stateWriter.cancel(taskId, reason, cascade);
        audit.succeeded("task.cancel", "task", taskId, cascade ? "cascade" : null);
        meters.counter("taskq.tasks.cancelled").increment();
        return queries.detailsOf(task);
    }

    /**
     * Answers the question a WAITING_FOR_INPUT task's session asked: the task is queued again to resume that session with
     * the answer (see {@link TaskStateWriter#answer}). Returns the task as committed; throws TaskNotFoundException or
     * TaskNotWaitingForInputException.
     */
    @Transactional
    public TaskDetails answer(UUID taskId, String answer) {
        gate.requireOwnTask(taskId);
        TaskEntity task = stateWriter.answer(taskId, answer);
        audit.succeeded("task.answer", "task", taskId);
        meters.counter("taskq.tasks.answered").increment();
        return queries.detailsOf(task);
    }

    /** Counts a task the API created (submitted, in a workflow, or as a retry or resume). */
    static void countSubmitted(MeterRegistry meters, TaskEntity task) {
        meters.counter("taskq.tasks.submitted",
                "priority.class", PriorityClass.of(task.priority).name(), "pool", task.pool).increment();
    }
}
