package dev.taskq.dependency.domain;

import dev.taskq.common.domain.AgentRole;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskKind;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.persistence.AgentRoleRepository;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Opens a task's next attempt and writes its {@link TaskDispatch} to the outbox: the one place a dispatch is built,
 * for a release ({@link ReleaseService}) and for a dispatch re-sent to a free worker ({@link DispatchRescue}).
 */
@ApplicationScoped
public class DispatchWriter {

    private static final Logger LOG = Logger.getLogger(DispatchWriter.class);

    private final TaskStateWriter stateWriter;
    private final Outbox outbox;
    private final TopicNames topics;
    private final ContinuationPrompt prompts;
    private final DependencyConfig config;
    private final AgentRoleRepository roles;

    public DispatchWriter(TaskStateWriter stateWriter, Outbox outbox, TopicNames topics, ContinuationPrompt prompts,
            DependencyConfig config, AgentRoleRepository roles) {
        this.stateWriter = stateWriter;
        this.outbox = outbox;
        this.topics = topics;
        this.prompts = prompts;
        this.config = config;
        this.roles = roles;
    }

    /**
     * The prompt of the task's next attempt; call it before {@link #open} (it may tell the session about the attempt
     * before). {@code resumesOnItsWorker} when the attempt resumes {@code resumeSessionId} on the worker holding it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String prompt(TaskEntity task, boolean resumesOnItsWorker) {
        if (task.kind == TaskKind.COMMAND) {
            // A command reads no prompt: its own is a description for people, and a continuation has nobody to tell.
            return task.prompt;
        }
        if (resumesOnItsWorker) {
            // The resumed session already holds the task's prompt; an answered question resumes it with the answer.
            return task.resumePrompt != null ? task.resumePrompt : prompts.promptFor(task, false);
        }
        // A resume that cannot reach its session starts a fresh one whose prompt carries what that session knew.
        return prompts.promptFor(task, task.resumeSessionId != null);
    }

    /**
     * Opens the task's next attempt (with a new session id) and appends its dispatch. With {@code targetWorkerId} the
     * dispatch goes on {@code tasks.direct} for that worker alone, and the attempt is owned by that worker with a lease
     * from now: if it dies before it starts the session, the lease runs out and the task is retried. Without one it goes
     * on the pool's priority topic for any worker of the pool. The task is DISPATCHED already (the record carries its
     * {@code dispatchedAt}).
     *
     * @param resumeSessionId the session the attempt resumes ({@code claude --resume}); only with a target, null for a
     *     fresh session
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskAttemptEntity open(TaskEntity task, String prompt, String targetWorkerId, UUID resumeSessionId, Instant now) {
        task.currentAttempt++;
        task.sessionId = UUID.randomUUID();
        TaskAttemptEntity attempt = stateWriter.openAttempt(task, task.sessionId);
        String topic;
        if (targetWorkerId != null) {
            attempt.workerId = targetWorkerId;
            attempt.leaseExpiresAt = now.plus(config.leaseDuration());
            topic = topics.directDispatch();
        } else {
            topic = topics.dispatch(task.pool, PriorityClass.of(task.effectivePriority));
        }
        TaskDispatch dispatch = new TaskDispatch(
                task.id,
                task.currentAttempt,
                task.priority,
                task.pool,
                prompt,
                task.workingDir,
                task.timeoutSeconds,
                task.maxTurns,
                task.model,
                task.sessionId,
                task.metadata,
                task.readyAt,
                task.dispatchedAt,
                targetWorkerId == null ? null : resumeSessionId,
                targetWorkerId,
                task.maxBudgetUsd,
                task.allowedTools,
                task.disallowedTools,
                task.appendSystemPrompt,
                task.permissionMode,
                task.repoUrl,
                task.repoRef,
                task.workspaceId == null ? task.id : task.workspaceId,
                task.kind,
                task.command,
                task.shell,
                null);
        outbox.append(topic, task.id.toString(), withAgentRole(task, dispatch));
        return attempt;
    }

    /**
     * The dispatch with the settings of the agent role the task names, as the role stands at release, so an admin's
     * change reaches the tasks still queued and the worker needs no database. A role deleted since the submit (the API
     * refuses that while unfinished tasks name it, but a race can slip through) leaves the task's own settings alone.
     */
    private TaskDispatch withAgentRole(TaskEntity task, TaskDispatch dispatch) {
        if (task.agent == null) {
            return dispatch;
        }
        Optional<AgentRole> role = roles.role(task.agent);
        if (role.isEmpty()) {
            LOG.warnf("Task %s names agent role %s, which no longer exists; it runs with its own settings", task.id, task.agent);
            return dispatch;
        }
        return dispatch.withAgentRole(role.get());
    }
}
