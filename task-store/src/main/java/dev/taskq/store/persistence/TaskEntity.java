package dev.taskq.store.persistence;

import dev.taskq.common.domain.TaskKind;
import dev.taskq.common.domain.TaskStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.time.Duration;
import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.RetryPolicy;
import dev.taskq.common.event.Checkpoint;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A task row: what to run, where it stands, and what its current attempt produced. */
@Entity
@Table(name = "tasks")
public class TaskEntity {

    @Id
    public UUID id;

    /** For a command task, a description for people: the client's, or the command line. */
    @Column(nullable = false)
    public String prompt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskKind kind = TaskKind.CLAUDE;

    /** A command task's argv; with {@link #shell}, one element: the line {@code /bin/sh -c} runs. Null for a claude task. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> command;

    @Column(nullable = false)
    public boolean shell;

    /** The agent role whose settings the dispatch merges in; null for none. */
    public String agent;

    public short priority;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(nullable = false)
    public String pool;

    @Column(name = "working_dir")
    public String workingDir;

    @Column(name = "timeout_seconds")
    public int timeoutSeconds;

    @Column(name = "max_turns")
    public Integer maxTurns;

    public String model;

    @Column(name = "max_budget_usd")
    public BigDecimal maxBudgetUsd;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_tools", nullable = false)
    public List<String> allowedTools = List.of();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "disallowed_tools", nullable = false)
    public List<String> disallowedTools = List.of();

    @Column(name = "append_system_prompt")
    public String appendSystemPrompt;

    /** Null: the worker's configured mode. */
    @Column(name = "permission_mode")
    public String permissionMode;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;

    @Column(name = "max_attempts")
    public int maxAttempts;

    @Column(name = "unmet_dependencies")
    public int unmetDependencies;

    @Column(name = "current_attempt")
    public int currentAttempt;

    @Column(name = "session_id")
    public UUID sessionId;

    @Column(name = "result_subtype")
    public String resultSubtype;

    @Column(name = "result_is_error")
    public Boolean resultIsError;

    @Column(name = "result_text")
    public String resultText;

    @Column(name = "num_turns")
    public Integer numTurns;

    @Column(name = "total_cost_usd")
    public BigDecimal totalCostUsd;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> usage;

    @Column(name = "exit_code")
    public Integer exitCode;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "ready_at")
    public Instant readyAt;

    @Column(name = "dispatched_at")
    public Instant dispatchedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When retention deleted the task's log lines; null while they are kept. */
    @Column(name = "logs_deleted_at")
    public Instant logsDeletedAt;

    @Column(name = "workflow_id")
    public UUID workflowId;

    /** The Claude Code session that submitted the task (X-Claude-Session-Id, or the MCP connection's); null when none was named. */
    @Column(name = "submitted_by_session")
    public String submittedBySession;

    @Column(name = "workflow_ref")
    public String workflowRef;

    /** Where the task was listed in its workflow's request (retries added later come after). */
    @Column(name = "workflow_position")
    public Integer workflowPosition;

    @Enumerated(EnumType.STRING)
    @Column(name = "on_dependency_failure", nullable = false)
    public DependencyFailurePolicy onDependencyFailure = DependencyFailurePolicy.DEFAULT;

    @Column(name = "continue_from")
    public UUID continueFrom;

    @Column(name = "retry_backoff_ms")
    public long retryBackoffMs;

    @Column(name = "retry_max_backoff_ms")
    public long retryMaxBackoffMs;

    @Column(name = "retry_on_timeout")
    public boolean retryOnTimeout;

    @Column(name = "run_after")
    public Instant runAfter;

    @Column(name = "effective_priority")
    public short effectivePriority;

    @Column(name = "concurrency_key")
    public String concurrencyKey;

    @Column(name = "retry_of")
    public UUID retryOf;

    @Column(name = "parent_task_id")
    public UUID parentTaskId;

    @Column(name = "resume_session_id")
    public UUID resumeSessionId;

    @Column(name = "resume_worker_id")
    public String resumeWorkerId;

    /** What a session resuming {@link #resumeSessionId} is told (the framed answer to its question); null: the prompt. */
    @Column(name = "resume_prompt")
    public String resumePrompt;

    /** A repository the worker checks out into a per-task worktree; null when the task names a working dir or none. */
    @Column(name = "repo_url")
    public String repoUrl;

    /** The branch, tag or commit of {@link #repoUrl} to check out; null for its default branch. */
    @Column(name = "repo_ref")
    public String repoRef;

    /**
     * The task whose worktree of {@link #repoUrl} this one works in: null for its own; a resume shares its parent's, so
     * its session finds the transcript the CLI keyed by that directory.
     */
    @Column(name = "workspace_id")
    public UUID workspaceId;

    /** The API key that submitted the task (null for a bootstrap token, a schedule, or a task older than V14). */
    @Column(name = "submitted_by_key_id")
    public UUID submittedByKeyId;

    /** The name of whoever submitted the task, as it was then: a key's name, or "bootstrap". */
    @Column(name = "submitted_by")
    public String submittedBy;

    @JdbcTypeCode(SqlTypes.JSON)
    public Checkpoint checkpoint;

    @Enumerated(EnumType.STRING)
    @Column(name = "failure_cause")
    public FailureCause failureCause;

    /** The task's automatic retry policy, from its columns. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(retryBackoffMs), Duration.ofMillis(retryMaxBackoffMs), retryOnTimeout);
    }
}
