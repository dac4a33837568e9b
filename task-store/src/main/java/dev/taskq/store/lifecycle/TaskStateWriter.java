package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.IllegalTransitionException;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import dev.taskq.store.persistence.TaskQuestionRepository;
import dev.taskq.store.persistence.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Deque;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The only code that changes a task's status. Each change is checked against {@link TaskStatus}'s
 * transition table, stamped, announced through the outbox, counted against the task's workflow, and carried on
 * to the task's dependents, each by its own {@link DependencyFailurePolicy}: a success (or, for RUN, any ending)
 * releases the dependents whose last dependency it was; any other ending fails or skips them.
 * Callers hold a transaction; the task row must have been locked with {@link TaskRepository#lockForUpdate}.
 * The changes that give the release loop work wake it by themselves, through a database trigger (see PgNotify).
 */
@ApplicationScoped
public class TaskStateWriter {

    private static final Logger LOG = Logger.getLogger(TaskStateWriter.class);

    private final TaskRepository tasks;
    private final TaskAttemptRepository attempts;
    private final Outbox outbox;
    private final TopicNames topics;
    private final WorkflowProgress workflows;
    private final TaskQuestionRepository questions;

    public TaskStateWriter(
            TaskRepository tasks,
            TaskAttemptRepository attempts,
            Outbox outbox,
            TopicNames topics,
            WorkflowProgress workflows,
            TaskQuestionRepository questions) {
        this.tasks = tasks;
        this.questions = questions;
        this.attempts = attempts;
        this.outbox = outbox;
        this.topics = topics;
        this.workflows = workflows;
    }

    /**
     * Moves a locked task to {@code next}; throws {@link IllegalTransitionException} if the table forbids it.
     * Returns the dependents this made ready (QUEUED), for callers that measure release latency.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TaskEntity> transition(TaskEntity task, TaskStatus next, String reason) {
        List<TaskEntity> ended = new ArrayList<>();
        List<TaskEntity> released = new ArrayList<>();
        changeStatus(task, next, reason, ended);
        if (next.isTerminal()) {
            carryOnToDependents(task, false, ended, released);
        }
        countEndings(ended);
        return released;
    }

    // Workflow rows are locked last, after every task row the change touched, so that two transactions locking
    // tasks of one workflow in different orders cannot deadlock on the workflow row.
    private void countEndings(List<TaskEntity> ended) {
        for (TaskEntity task : ended) {
            workflows.taskEnded(task);
        }
    }

    /**
     * Puts a running or dispatched task back in the queue for another attempt, not released before
     * {@code runAfter} (the retry's backoff). The caller has closed the failed attempt.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requeueForRetry(TaskEntity task, FailureCause cause, Instant runAfter, String reason) {
        task.failureCause = cause;
        changeStatus(task, TaskStatus.QUEUED, reason, List.of());
        task.runAfter = runAfter;
    }

    /** Why a dependent of {@code dependency} will not run: names the dependency and how it ended. */
    static String dependencyReason(TaskEntity dependency) {
        String name = dependency.workflowRef == null ? dependency.id.toString() : dependency.workflowRef + " (" + dependency.id + ")";
        return "dependency " + name + " ended " + dependency.status
                + (dependency.statusReason == null ? "" : ": " + dependency.statusReason);
    }

    /**
     * Parks a task whose session asked a human {@code question} (its attempt, already closed, is the one that asked):
     * WAITING_FOR_INPUT, announced with the question. The next attempt resumes that session on its worker.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void awaitInput(TaskEntity task, String question, String workerId, Instant askedAt) {
        TaskQuestionEntity row = new TaskQuestionEntity();
        row.key = new TaskAttemptEntity.Key(task.id, task.currentAttempt);
        row.question = question;
        row.askedAt = askedAt;
        questions.persist(row);
        task.resumeSessionId = task.sessionId;
        task.resumeWorkerId = workerId;
        task.resumePrompt = null;
        changeStatus(task, TaskStatus.WAITING_FOR_INPUT, "waiting for an answer to: " + QuestionText.preview(question),
                List.of(), question);
    }

    /**
     * Answers the question a WAITING_FOR_INPUT task's session asked and queues the task to resume that session with
     * the answer, framed by {@link QuestionText#answerPrompt}. Throws {@link TaskNotWaitingForInputException} when the
     * task is not waiting (it was answered already, cancelled, or never asked).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity answer(UUID taskId, String answer) {
        TaskEntity task = tasks.lockForUpdate(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        if (task.status != TaskStatus.WAITING_FOR_INPUT) {
            throw new TaskNotWaitingForInputException(taskId, task.status);
        }
        TaskQuestionEntity question = questions.find(task.id, task.currentAttempt).orElseThrow(() ->
                new IllegalStateException("task " + taskId + " waits for input but attempt " + task.currentAttempt + " asked nothing"));
        question.answer = answer;
        question.answeredAt = Instant.now();
        task.resumePrompt = QuestionText.answerPrompt(question.question, answer);
        changeStatus(task, TaskStatus.QUEUED, "answered; resuming session " + task.resumeSessionId, List.of(), null);
        return task;
    }

    private void changeStatus(TaskEntity task, TaskStatus next, String reason, List<TaskEntity> endedInWorkflows) {
        changeStatus(task, next, reason, endedInWorkflows, null);
    }

    private void changeStatus(
            TaskEntity task, TaskStatus next, String reason, List<TaskEntity> endedInWorkflows, String question) {
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
                // Aging starts over: the wait that raises the priority is this wait.
                task.effectivePriority = task.priority;
            }
            case DISPATCHED -> task.dispatchedAt = now;
            case RUNNING -> task.startedAt = now;
            default -> {}
        }
        if (next.isTerminal()) {
            task.finishedAt = now;
            task.runAfter = null;
            if (task.workflowId != null) {
                endedInWorkflows.add(task);
            }
        }
        if (next == TaskStatus.RUNNING || next == TaskStatus.WAITING_FOR_INPUT || next.isTerminal()) {
            outbox.append(topics.taskLifecycle(), task.id.toString(), new TaskLifecycleEvent(
                    UUID.randomUUID(), task.id, task.currentAttempt, next, reason, task.totalCostUsd, now, task.workflowId,
                    question));
        }
    }

    /** Cancels a task and, with it, every task that waits on it; see {@link #cancel(UUID, String, boolean)}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity cancel(UUID taskId, String reason) {
        return cancel(taskId, reason, true);
    }

    /**
     * Cancels a task that has not finished: the current attempt is closed and, if a worker may hold it, the
     * workers are told to kill its session. With {@code cascade}, every task that waits on it (directly or further
     * down) is cancelled too; without, each waiting dependent reacts by its failure policy, as to any failure.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity cancel(UUID taskId, String reason, boolean cascade) {
        TaskEntity task = tasks.lockForUpdate(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        if (task.status.isTerminal()) {
            throw new TaskAlreadyFinishedException(taskId, task.status);
        }
        cancelLocked(task, reason, cascade);
        return task;
    }

    /**
     * Cancels every unfinished task of a workflow; tasks waiting below a cancelled one are cancelled with it. Returns
     * the tasks it cancelled itself (empty when every task had ended already). Task rows are locked in id order before
     * the workflow row (which counting their endings locks), so this cannot deadlock with a task of the workflow ending
     * in another transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TaskEntity> cancelWorkflowTasks(UUID workflowId, String reason) {
        List<TaskStatus> unfinished = Arrays.stream(TaskStatus.values()).filter(status -> !status.isTerminal()).toList();
        List<TaskEntity> open = tasks.getEntityManager()
                .createQuery("select t from TaskEntity t where t.workflowId = :workflow and t.status in :unfinished order by t.id",
                        TaskEntity.class)
                .setParameter("workflow", workflowId)
                .setParameter("unfinished", unfinished)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        List<TaskEntity> cancelled = new ArrayList<>();
        for (TaskEntity task : open) {
            // An earlier cancel of this loop may have cascaded to it already.
            if (!task.status.isTerminal()) {
                cancelLocked(task, reason, true);
                cancelled.add(task);
            }
        }
        return cancelled;
    }

    /** {@link #cancel(UUID, String, boolean)} for a task the caller already locked and checked is unfinished. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelLocked(TaskEntity task, String reason, boolean cascade) {
        boolean workerMayHoldIt = task.status == TaskStatus.DISPATCHED || task.status == TaskStatus.RUNNING;
        List<TaskEntity> ended = new ArrayList<>();
        changeStatus(task, TaskStatus.CANCELLED, reason, ended);
        carryOnToDependents(task, cascade, ended, new ArrayList<>());
        countEndings(ended);
        if (workerMayHoldIt) {
            closeAttempt(task, TaskStatus.CANCELLED, reason);
            outbox.append(topics.workerCommands(), task.id.toString(), new WorkerCommand(
                    WorkerCommand.Type.CANCEL, task.id, task.currentAttempt, reason, Instant.now()));
        }
    }

    /** Marks the task's current attempt row finished now, if it is still open. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void closeAttempt(TaskEntity task, TaskStatus status, String reason) {
        closeAttempt(task, status, reason, Instant.now());
    }

    /**
     * Marks the task's current attempt row finished at {@code finishedAt} (the worker's instant when its process
     * ended, when it reported one), if it is still open.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void closeAttempt(TaskEntity task, TaskStatus status, String reason, Instant finishedAt) {
        attempts.find(task.id, task.currentAttempt).ifPresent(attempt -> {
            if (attempt.finishedAt == null) {
                attempt.status = status;
                attempt.reason = reason;
                attempt.finishedAt = finishedAt;
                attempt.leaseExpiresAt = null;
            }
        });
    }

    /**
     * Walks the graph below a finished task breadth-first (a worklist, so a long chain cannot overflow the stack).
     * With {@code cancelWaiting}, every waiting task below is cancelled; otherwise each reacts by its policy.
     */
    private void carryOnToDependents(TaskEntity first, boolean cancelWaiting, List<TaskEntity> ended, List<TaskEntity> released) {
        Deque<TaskEntity> finished = new ArrayDeque<>();
        finished.add(first);
        while (!finished.isEmpty()) {
            TaskEntity parent = finished.poll();
            for (TaskEntity dependent : tasks.lockWaitingDependentsOf(parent.id)) {
                if (cancelWaiting) {
                    changeStatus(dependent, TaskStatus.CANCELLED, dependencyReason(parent), ended);
                    finished.add(dependent);
                    continue;
                }
                switch (dependent.onDependencyFailure.onDependencyEnded(parent.status)) {
                    case RESOLVED -> {
                        dependent.unmetDependencies--;
                        dependent.updatedAt = Instant.now();
                        if (dependent.unmetDependencies == 0) {
                            changeStatus(dependent, TaskStatus.QUEUED, null, ended);
                            released.add(dependent);
                        }
                    }
                    case UPSTREAM_FAILED -> {
                        LOG.debugf("Task %s will not run: %s", dependent.id, dependencyReason(parent));
                        changeStatus(dependent, TaskStatus.UPSTREAM_FAILED, dependencyReason(parent), ended);
                        finished.add(dependent);
                    }
                    case SKIPPED -> {
                        changeStatus(dependent, TaskStatus.SKIPPED, dependencyReason(parent), ended);
                        finished.add(dependent);
                    }
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
