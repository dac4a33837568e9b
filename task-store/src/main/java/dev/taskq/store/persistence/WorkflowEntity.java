package dev.taskq.store.persistence;

import dev.taskq.common.domain.WorkflowStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A DAG of tasks submitted in one request; its tasks point to it with {@code tasks.workflow_id}. */
@Entity
@Table(name = "workflows")
public class WorkflowEntity {

    @Id
    public UUID id;

    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public WorkflowStatus status;

    /** Tasks that have not ended; kept by TaskStateWriter, which finishes the workflow when it reaches 0. */
    @Column(name = "unfinished_tasks")
    public int unfinishedTasks;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;

    /** The Claude Code session that submitted the workflow; null when none was named. */
    @Column(name = "submitted_by_session")
    public String submittedBySession;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
