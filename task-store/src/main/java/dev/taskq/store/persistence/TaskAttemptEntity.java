package dev.taskq.store.persistence;

import dev.taskq.common.domain.TaskStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.type.SqlTypes;
import org.hibernate.annotations.JdbcTypeCode;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.domain.FailureCause;

/** One attempt to run a task: every dispatch creates a row, unique per (task, attempt). */
@Entity
@Table(name = "task_attempts")
public class TaskAttemptEntity {

    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskStatus status;

    @Column(name = "session_id", nullable = false)
    public UUID sessionId;

    @Column(name = "worker_id")
    public String workerId;

    public String host;

    public Long pid;

    public String reason;

    @Column(name = "exit_code")
    public Integer exitCode;

    @Column(name = "dispatched_at", nullable = false)
    public Instant dispatchedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "failure_cause")
    public FailureCause failureCause;

    @JdbcTypeCode(SqlTypes.JSON)
    public Checkpoint checkpoint;

    /** The composite key of an attempt. */
    @Embeddable
    public record Key(@Column(name = "task_id") UUID taskId, @Column(name = "attempt") int attempt)
            implements Serializable {}
}
