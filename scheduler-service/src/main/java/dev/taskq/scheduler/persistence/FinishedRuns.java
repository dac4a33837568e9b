package dev.taskq.scheduler.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** FIRED runs whose task or workflow has ended but that are not settled yet: the scheduler announces the bad endings. */
@ApplicationScoped
public class FinishedRuns {

    /** A run whose task (or workflow) ended; the task's status reason says why it did. */
    public record FinishedRun(long id, UUID scheduleId, String scheduleName, Instant fireTime, UUID taskId,
                              TaskStatus taskStatus, String taskReason, UUID workflowId, WorkflowStatus workflowStatus) {}

    private static final String TERMINAL_TASK = Arrays.stream(TaskStatus.values()).filter(TaskStatus::isTerminal)
            .map(status -> "'" + status.name() + "'").collect(Collectors.joining(", "));

    private final EntityManager entityManager;

    public FinishedRuns(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Locks up to {@code limit} unsettled FIRED runs whose task or workflow ended, oldest first. SKIP LOCKED: another
     * replica settling the same runs takes others, so each run is settled (and announced) once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<FinishedRun> lock(int limit) {
        List<?> rows = entityManager.createNativeQuery("""
                        select r.id, r.schedule_id, s.name, r.fire_time, r.task_id, t.status, t.status_reason, r.workflow_id, w.status
                        from schedule_runs r
                        join schedules s on s.id = r.schedule_id
                        left join tasks t on t.id = r.task_id
                        left join workflows w on w.id = r.workflow_id
                        where r.outcome = 'FIRED' and r.settled_at is null
                          and (t.status in (%s) or w.status <> 'RUNNING')
                        order by r.id
                        limit ?1
                        for update of r skip locked""".formatted(TERMINAL_TASK))
                .setParameter(1, limit)
                .getResultList();
        return rows.stream().map(Object[].class::cast).map(row -> new FinishedRun(
                ((Number) row[0]).longValue(),
                (UUID) row[1],
                (String) row[2],
                SchedulerLiveness.instant(row[3]),
                (UUID) row[4],
                row[5] == null ? null : TaskStatus.valueOf((String) row[5]),
                (String) row[6],
                (UUID) row[7],
                row[8] == null ? null : WorkflowStatus.valueOf((String) row[8]))).toList();
    }

    /** Marks runs settled: they are never announced again. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(List<Long> ids, Instant at) {
        if (ids.isEmpty()) {
            return;
        }
        entityManager.createNativeQuery("update schedule_runs set settled_at = ?1 where id in (?2)")
                .setParameter(1, Timestamp.from(at))
                .setParameter(2, ids)
                .executeUpdate();
    }
}
