package dev.taskq.dependency.domain;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.metrics.TaskMetrics;
import dev.taskq.dependency.persistence.ReleaseClaim;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Releases QUEUED tasks: each claimed task gets a new attempt and a dispatch record in the outbox, in one
 * transaction, so the record is published if and only if the claim commits.
 */
@ApplicationScoped
public class ReleaseService {

    private final ReleaseClaim claim;
    private final TaskStateWriter stateWriter;
    private final Outbox outbox;
    private final TopicNames topics;
    private final DependencyConfig config;
    private final TaskMetrics metrics;

    public ReleaseService(
            ReleaseClaim claim,
            TaskStateWriter stateWriter,
            Outbox outbox,
            TopicNames topics,
            DependencyConfig config,
            TaskMetrics metrics) {
        this.claim = claim;
        this.stateWriter = stateWriter;
        this.outbox = outbox;
        this.topics = topics;
        this.config = config;
        this.metrics = metrics;
    }

    /** Releases one batch of the configured size; returns how many tasks it dispatched. */
    @Transactional
    public int releaseBatch() {
        return releaseBatch(config.releaseBatchSize());
    }

    /**
     * Releases up to {@code limit} tasks. Safe to run in several replicas at once: SKIP LOCKED hands each
     * of them different rows, and the (task_id, attempt) primary key refuses a second attempt row.
     */
    @Transactional
    public int releaseBatch(int limit) {
        List<TaskEntity> claimed = claim.claimQueued(limit);
        for (TaskEntity task : claimed) {
            dispatch(task);
        }
        return claimed.size();
    }

    private void dispatch(TaskEntity task) {
        task.currentAttempt++;
        task.sessionId = UUID.randomUUID();
        stateWriter.openAttempt(task, task.sessionId);
        stateWriter.transition(task, TaskStatus.DISPATCHED, null);
        outbox.append(topics.dispatch(PriorityClass.of(task.priority)), task.id.toString(), new TaskDispatch(
                task.id,
                task.currentAttempt,
                task.priority,
                task.pool,
                task.prompt,
                task.workingDir,
                task.timeoutSeconds,
                task.maxTurns,
                task.model,
                task.sessionId,
                task.metadata,
                task.readyAt,
                task.dispatchedAt));
        metrics.released(task);
    }
}
