package dev.taskq.dependency.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.SessionCheckpointed;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.SessionResult;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskEvent;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.metrics.TaskMetrics;
import dev.taskq.dependency.persistence.TaskLogWriter;
import dev.taskq.store.lifecycle.QuestionText;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Applies what workers report about attempts to the tasks. Events of an attempt that is not current are
 * fenced off, redeliveries change nothing, and a transition the state table forbids is logged, not thrown.
 * An attempt that failed for a cause the task's {@link dev.taskq.common.domain.RetryPolicy} retries puts the task
 * back in the queue, not released before its backoff ends; so does an attempt its worker handed back on shutdown, at
 * once. A session that asked a human a question parks its task WAITING_FOR_INPUT until the answer comes. Any other
 * ending is final.
 */
@ApplicationScoped
public class TaskEventApplier {

    private static final Logger LOG = Logger.getLogger(TaskEventApplier.class);
    private static final TypeReference<Map<String, Object>> USAGE_MAP = new TypeReference<>() {};
    static final String MISSING_QUESTION_REASON = "the session ended waiting for input but its worker sent no question";

    private final TaskRepository tasks;
    private final TaskAttemptRepository attempts;
    private final TaskStateWriter stateWriter;
    private final TaskLogWriter logWriter;
    private final Outbox outbox;
    private final TopicNames topics;
    private final DependencyConfig config;
    private final MeterRegistry registry;
    private final TaskMetrics metrics;
    private final RescuedAttempts rescued;
    private final ReleaseService releases;

    public TaskEventApplier(
            TaskRepository tasks,
            TaskAttemptRepository attempts,
            TaskStateWriter stateWriter,
            TaskLogWriter logWriter,
            Outbox outbox,
            TopicNames topics,
            DependencyConfig config,
            MeterRegistry registry,
            TaskMetrics metrics,
            RescuedAttempts rescued,
            ReleaseService releases) {
        this.tasks = tasks;
        this.releases = releases;
        this.rescued = rescued;
        this.attempts = attempts;
        this.stateWriter = stateWriter;
        this.logWriter = logWriter;
        this.outbox = outbox;
        this.topics = topics;
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
    }

    /**
     * Applies a batch in one transaction, then, if it ended attempts, releases in it too (see
     * {@link ReleaseService#releaseInCurrentTransaction}); if any of it fails, none is applied.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void applyAll(List<TaskEvent> events) {
        // The rows the state-changing events need, locked and read in two statements instead of two per event: the
        // consumer's time goes to database round trips. Logs need neither.
        Set<UUID> changed = events.stream()
                .filter(event -> !(event instanceof SessionLog))
                .map(TaskEvent::taskId)
                .collect(Collectors.toSet());
        attempts.lockCurrent(tasks.lockAllForUpdate(changed));
        events.forEach(this::applyOne);
        if (events.stream().anyMatch(event -> event instanceof SessionFinished)) {
            // An ending frees a slot and may have queued dependents: hand them out before this commits.
            releases.releaseInCurrentTransaction(config.releaseBatchSize());
        }
    }

    /** Applies one event in its own transaction: the fallback when its batch failed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void apply(TaskEvent event) {
        applyOne(event);
    }

    private void applyOne(TaskEvent event) {
        String outcome = switch (event) {
            case SessionStarted started -> started(started);
            case SessionLog log -> log(log);
            case SessionFinished finished -> finished(finished);
            case SessionCheckpointed checkpointed -> checkpointed(checkpointed);
        };
        registry.counter("taskq.events.applied", "type", typeOf(event), "outcome", outcome).increment();
    }

    private String started(SessionStarted event) {
        Optional<TaskEntity> found = tasks.lockForUpdate(event.taskId());
        if (found.isEmpty()) {
            LOG.warnf("SessionStarted for unknown task %s ignored", event.taskId());
            return "unknown-task";
        }
        TaskEntity task = found.get();
        AttemptFencing.OnStarted decision = AttemptFencing.onStarted(task.status, task.currentAttempt, event.attempt());
        switch (decision) {
            case APPLY -> {
                TaskAttemptEntity attempt = attempts.find(task.id, event.attempt()).orElseThrow(() ->
                        new IllegalStateException("task " + task.id + " has no row for its current attempt " + event.attempt()));
                attempt.status = TaskStatus.RUNNING;
                attempt.workerId = event.workerId();
                attempt.host = event.host();
                attempt.pid = event.pid();
                attempt.startedAt = event.at() == null ? Instant.now() : event.at();
                attempt.leaseExpiresAt = Instant.now().plus(config.leaseDuration());
                metrics.started(task, attempt.startedAt);
                stateWriter.transition(task, TaskStatus.RUNNING, null);
            }
            case DUPLICATE -> LOG.debugf("Duplicate SessionStarted for %s attempt %d", task.id, event.attempt());
            case FENCE -> {
                String reason = AttemptFencing.fencedReason(task.status, task.currentAttempt, event.attempt());
                LOG.infof("Fencing off task %s attempt %d on worker %s: %s", task.id, event.attempt(), event.workerId(), reason);
                outbox.append(topics.workerCommands(), task.id.toString(), new WorkerCommand(
                        WorkerCommand.Type.CANCEL, task.id, event.attempt(), reason, Instant.now()));
            }
        }
        return decision.name().toLowerCase(Locale.ROOT);
    }

    // Output of a stale attempt is still what that process printed, so it is kept.
    private String log(SessionLog event) {
        logWriter.insert(event);
        return "stored";
    }

    /**
     * Keeps a running attempt's latest checkpoint on its row and on the task, where a retry after a lost worker or a
     * hand-back finds it. A checkpoint of an attempt that is not current, or already ended, or older than the one kept,
     * or sent by another worker than the one running the attempt (a stray duplicate of its dispatch), changes nothing:
     * the finished event carries the last word.
     */
    private String checkpointed(SessionCheckpointed event) {
        Optional<TaskEntity> found = tasks.lockForUpdate(event.taskId());
        if (found.isEmpty() || event.checkpoint() == null) {
            return "ignored";
        }
        TaskEntity task = found.get();
        Optional<TaskAttemptEntity> attempt = attempts.find(task.id, event.attempt());
        if (task.currentAttempt != event.attempt() || attempt.isEmpty() || attempt.get().finishedAt != null) {
            return "ignored";
        }
        if (attempt.get().workerId != null && !attempt.get().workerId.equals(event.workerId())) {
            LOG.debugf("Checkpoint of task %s attempt %d from worker %s ignored: the attempt runs on %s",
                    task.id, event.attempt(), event.workerId(), attempt.get().workerId);
            return "ignored";
        }
        Checkpoint kept = attempt.get().checkpoint;
        if (kept != null && kept.takenAt() != null && event.checkpoint().takenAt() != null
                && !event.checkpoint().takenAt().isAfter(kept.takenAt())) {
            return "duplicate";
        }
        attempt.get().checkpoint = event.checkpoint();
        task.checkpoint = event.checkpoint();
        return "stored";
    }

    private String finished(SessionFinished event) {
        Optional<TaskEntity> found = tasks.lockForUpdate(event.taskId());
        if (found.isEmpty()) {
            LOG.warnf("SessionFinished for unknown task %s ignored", event.taskId());
            return "unknown-task";
        }
        TaskEntity task = found.get();
        // Also what keeps a task cancelled while its session was asking a question cancelled: its finish is ignored.
        if (AttemptFencing.onFinished(task.status, task.currentAttempt, event.attempt()) == AttemptFencing.OnFinished.IGNORE) {
            LOG.debugf("SessionFinished of task %s attempt %d ignored: task is %s at attempt %d",
                    task.id, event.attempt(), task.status, task.currentAttempt);
            return "ignored";
        }
        if (event.outcome() == null) {
            LOG.warnf("SessionFinished of task %s attempt %d has no outcome; ignored", task.id, event.attempt());
            return "invalid";
        }
        TaskStatus next = event.outcome().status();
        FailureCause cause = failureCause(event);
        String reason = event.reason();
        if (event.outcome() == SessionOutcome.WAITING_FOR_INPUT) {
            if (event.question() != null && !event.question().isBlank()) {
                return awaitInput(task, event);
            }
            // Nobody could answer a question nobody can read: the session ended without finishing its work.
            LOG.warnf("Task %s attempt %d: worker %s says the session waits for input but sent no question; "
                    + "treated as a session error", task.id, event.attempt(), event.workerId());
            next = TaskStatus.FAILED;
            cause = FailureCause.SESSION_ERROR;
            reason = MISSING_QUESTION_REASON;
        }
        Instant now = Instant.now();
        // Only a failure needs the count; dispatches re-sent to a free worker earlier do not count against maxAttempts.
        AttemptNumber number = cause == null ? AttemptNumber.of(event.attempt()) : rescued.number(task.id, event.attempt());
        RetryDecision retry = RetryDecision.of(
                task.retryPolicy(), number, cause, reason, event.workerId(), now, ThreadLocalRandom.current());
        if (retry.retry()) {
            storeResult(task, event);
            closeAttempt(task, event, next, cause, reason);
            stateWriter.requeueForRetry(task, cause, retry.runAfter(), retry.reason());
            metrics.sessionUsage(task, event.result());
            metrics.retried(task, cause);
            LOG.infof("Task %s: %s", task.id, retry.reason());
            return "retried";
        }
        if (cause == FailureCause.DRAINED) {
            // Out of hand-backs: however the worker ended the stopped session, the task did not get its work done.
            next = TaskStatus.FAILED;
            reason = RetryDecision.handBackLimitReason(event.attempt(), event.workerId());
        }
        // A Started that was skipped as unreadable must not strand a task that evidently ran: pass through RUNNING.
        if (task.status == TaskStatus.DISPATCHED && !task.status.canTransitionTo(next)) {
            stateWriter.transition(task, TaskStatus.RUNNING, null);
        }
        if (!task.status.canTransitionTo(next)) {
            LOG.warnf("Task %s cannot go from %s to %s; SessionFinished ignored", task.id, task.status, next);
            return "forbidden";
        }
        storeResult(task, event);
        task.failureCause = cause;
        Optional<TaskAttemptEntity> attempt = closeAttempt(task, event, next, cause, reason);
        List<TaskEntity> released = stateWriter.transition(task, next, reason);
        Instant finishedAt = event.at() == null ? task.finishedAt : event.at();
        metrics.finished(task, next, attempt.map(row -> row.startedAt).orElse(null), finishedAt);
        metrics.sessionUsage(task, event.result());
        for (TaskEntity dependent : released) {
            metrics.dependentReleased(Duration.between(finishedAt, dependent.readyAt));
        }
        return "applied";
    }

    /**
     * The session asked a human a question and ended its turn: its result is kept, its attempt closed as
     * WAITING_FOR_INPUT, and the task parked until an answer resumes that session (on its worker, which holds the
     * transcript). No lease and no slot are held meanwhile: the attempt is finished and the task is neither
     * DISPATCHED nor RUNNING.
     */
    private String awaitInput(TaskEntity task, SessionFinished event) {
        storeResult(task, event);
        // A question is no failure, and a cause left by an earlier attempt (a lost worker) must not keep the answer
        // from resuming this session on its worker.
        task.failureCause = null;
        Instant askedAt = event.at() == null ? Instant.now() : event.at();
        String reason = event.reason() != null && !event.reason().isBlank()
                ? event.reason()
                : "asked: " + QuestionText.preview(event.question());
        closeAttempt(task, event, TaskStatus.WAITING_FOR_INPUT, null, reason);
        stateWriter.awaitInput(task, event.question(), event.workerId(), askedAt);
        metrics.askedForInput(task);
        metrics.sessionUsage(task, event.result());
        LOG.infof("Task %s attempt %d waits for an answer to: %s", task.id, event.attempt(), QuestionText.preview(event.question()));
        return "waiting";
    }

    /** The worker's own verdict when it gave one (it knows a resume found no transcript), else read from the outcome. */
    private static FailureCause failureCause(SessionFinished event) {
        if (event.outcome() == SessionOutcome.SUCCEEDED || event.outcome() == SessionOutcome.WAITING_FOR_INPUT) {
            return null;
        }
        return event.failureCause() != null ? event.failureCause() : FailureCause.of(event.outcome(), event.result());
    }

    /** Closes the attempt the event reports on with what the worker said about it. */
    private Optional<TaskAttemptEntity> closeAttempt(
            TaskEntity task, SessionFinished event, TaskStatus status, FailureCause cause, String reason) {
        // When the process ended on the worker, not when the event arrived here: durations and release latency are honest.
        stateWriter.closeAttempt(task, status, reason, event.at() == null ? Instant.now() : event.at());
        Optional<TaskAttemptEntity> attempt = attempts.find(task.id, event.attempt());
        attempt.ifPresent(row -> {
            row.exitCode = event.exitCode();
            row.failureCause = cause;
            // A worker that could not read the final state leaves the last periodic checkpoint in place.
            if (event.checkpoint() != null) {
                row.checkpoint = event.checkpoint();
            }
        });
        return attempt;
    }

    private static void storeResult(TaskEntity task, SessionFinished event) {
        task.exitCode = event.exitCode();
        // The latest git state known: an attempt whose worker could not read one leaves the previous one in place.
        if (event.checkpoint() != null) {
            task.checkpoint = event.checkpoint();
        }
        SessionResult result = event.result();
        if (result == null) {
            return;
        }
        task.resultSubtype = result.subtype();
        task.resultIsError = result.isError();
        task.resultText = result.resultText();
        task.numTurns = result.numTurns();
        task.totalCostUsd = result.totalCostUsd();
        task.usage = result.usage() == null ? null : EventJson.mapper().convertValue(result.usage(), USAGE_MAP);
        UUID sessionId = parseUuid(result.sessionId());
        if (sessionId != null) {
            task.sessionId = sessionId;
        }
    }

    private static UUID parseUuid(String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Result session id %s is not a UUID; keeping the dispatched one", text);
            return null;
        }
    }

    private static String typeOf(TaskEvent event) {
        return switch (event) {
            case SessionStarted started -> "started";
            case SessionLog log -> "log";
            case SessionFinished finished -> "finished";
            case SessionCheckpointed checkpointed -> "checkpoint";
        };
    }
}
