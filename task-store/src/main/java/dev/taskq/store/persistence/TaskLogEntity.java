package dev.taskq.store.persistence;

import dev.taskq.common.domain.LogKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One stored line of a session's output; {@code id} is the paging cursor. */
@Entity
@Table(name = "task_logs")
public class TaskLogEntity {

    @Id
    public Long id;

    @Column(name = "task_id", nullable = false)
    public UUID taskId;

    public int attempt;

    @Column(name = "line_number")
    public long lineNumber;

    @Column(name = "logged_at", nullable = false)
    public Instant loggedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public LogKind kind;

    @Column(nullable = false)
    public String text;
}
