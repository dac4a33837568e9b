package dev.taskq.store.schedule;

import dev.taskq.common.schedule.RunOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One fire time of a schedule and what came of it. Inserted only through {@link ScheduleRepository#insertRun}. */
@Entity
@Table(name = "schedule_runs")
public class ScheduleRunEntity {

    @Id
    public Long id;

    @Column(name = "schedule_id", nullable = false)
    public UUID scheduleId;

    @Column(name = "fire_time", nullable = false)
    public Instant fireTime;

    @Column(name = "fired_at", nullable = false)
    public Instant firedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunOutcome outcome;

    @Column(name = "task_id")
    public UUID taskId;

    @Column(name = "workflow_id")
    public UUID workflowId;

    /** Why a FIRE_FAILED run created nothing. */
    public String reason;

    /** When the scheduler saw the run's task or workflow end; null until then. */
    @Column(name = "settled_at")
    public Instant settledAt;
}
