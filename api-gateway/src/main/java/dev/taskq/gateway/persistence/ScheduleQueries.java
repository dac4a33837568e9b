package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.schedule.RunOutcome;
import dev.taskq.store.schedule.ScheduleEntity;
import dev.taskq.store.schedule.ScheduleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The gateway's reads of schedules and their runs. */
@ApplicationScoped
public class ScheduleQueries {

    /**
     * One run of a schedule with the status of the task or workflow it created (nulls when it created none), why it
     * created none when it failed to fire.
     */
    public record RunRow(long id, Instant fireTime, Instant firedAt, RunOutcome outcome, UUID taskId, TaskStatus taskStatus,
                         UUID workflowId, WorkflowStatus workflowStatus, String reason) {}

    private final ScheduleRepository schedules;

    public ScheduleQueries(ScheduleRepository schedules) {
        this.schedules = schedules;
    }

    @Transactional
    public Optional<ScheduleEntity> find(UUID id) {
        return schedules.findByIdOptional(id);
    }

    /** A pipeline's step schedules in order; empty when there is no such pipeline. */
    @Transactional
    public List<ScheduleEntity> pipelineSteps(UUID pipelineId) {
        return schedules.pipelineSteps(pipelineId);
    }

    /** The newest schedules first. */
    @Transactional
    public List<ScheduleEntity> list(int limit) {
        return schedules.getEntityManager()
                .createQuery("select s from ScheduleEntity s order by s.createdAt desc, s.id desc", ScheduleEntity.class)
                .setMaxResults(limit)
                .getResultList();
    }

    /** The latest runs of a schedule first, each with its task's or workflow's status. */
    @Transactional
    public List<RunRow> runs(UUID scheduleId, int limit) {
        List<?> rows = schedules.getEntityManager().createNativeQuery("""
                        select r.id, r.fire_time, r.fired_at, r.outcome, r.task_id, t.status, r.workflow_id, w.status, r.reason
                        from schedule_runs r left join tasks t on t.id = r.task_id left join workflows w on w.id = r.workflow_id
                        where r.schedule_id = ?1
                        order by r.fire_time desc
                        limit ?2""")
                .setParameter(1, scheduleId)
                .setParameter(2, limit)
                .getResultList();
        return rows.stream().map(Object[].class::cast).map(row -> new RunRow(
                ((Number) row[0]).longValue(),
                instant(row[1]),
                instant(row[2]),
                RunOutcome.valueOf((String) row[3]),
                (UUID) row[4],
                row[5] == null ? null : TaskStatus.valueOf((String) row[5]),
                (UUID) row[6],
                row[7] == null ? null : WorkflowStatus.valueOf((String) row[7]),
                (String) row[8])).toList();
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case Instant instant -> instant;
            case Timestamp timestamp -> timestamp.toInstant();
            case OffsetDateTime offset -> offset.toInstant();
            default -> throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
        };
    }
}
