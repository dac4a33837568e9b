package dev.taskq.store.schedule;

import dev.taskq.common.schedule.CronExpression;
import dev.taskq.common.schedule.MissedRunPolicy;
import dev.taskq.common.schedule.OverlapPolicy;
import dev.taskq.common.schedule.ScheduleStatus;
import dev.taskq.common.schedule.ScheduleTimes;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A schedule row: when it fires, what task or workflow it creates, and its policies. */
@Entity
@Table(name = "schedules")
public class ScheduleEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ScheduleStatus status;

    public String cron;

    @Column(nullable = false)
    public String timezone;

    @Column(name = "run_at")
    public Instant runAt;

    /** The task each run creates; null when the schedule creates a workflow instead. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "task_template")
    public TaskTemplate taskTemplate;

    /** The workflow each run creates; null when the schedule creates a single task. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "workflow_template")
    public WorkflowTemplate workflowTemplate;

    @Enumerated(EnumType.STRING)
    @Column(name = "missed_run_policy", nullable = false)
    public MissedRunPolicy missedRunPolicy;

    @Column(name = "max_catchup")
    public int maxCatchup;

    @Enumerated(EnumType.STRING)
    @Column(name = "overlap_policy", nullable = false)
    public OverlapPolicy overlapPolicy;

    @Column(name = "start_at")
    public Instant startAt;

    @Column(name = "end_at")
    public Instant endAt;

    @Column(name = "max_runs")
    public Integer maxRuns;

    @Column(name = "runs_fired")
    public int runsFired;

    @Column(name = "next_fire_at")
    public Instant nextFireAt;

    @Column(name = "last_task_id")
    public UUID lastTaskId;

    /** The workflow of the latest run that created one (workflow schedules). */
    @Column(name = "last_workflow_id")
    public UUID lastWorkflowId;

    /** The pipeline this schedule is a step of, if any. */
    @Column(name = "pipeline_id")
    public UUID pipelineId;

    @Column(name = "pipeline_step")
    public Integer pipelineStep;

    /** The previous pipeline step: this schedule's task depends on that step's task. */
    @Column(name = "after_schedule_id")
    public UUID afterScheduleId;

    /** The API key that created the schedule (null for a bootstrap token or a schedule older than V15): its owner. */
    @Column(name = "created_by_key_id")
    public UUID createdByKeyId;

    /** The name of whoever created the schedule, as it was then: a key's name, or "bootstrap". */
    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When this schedule fires (parsing the stored cron, which was valid when the schedule was created). */
    public ScheduleTimes times() {
        return runAt != null ? ScheduleTimes.once(runAt)
                : ScheduleTimes.cron(CronExpression.parse(cron), ZoneId.of(timezone), startAt, endAt);
    }
}
