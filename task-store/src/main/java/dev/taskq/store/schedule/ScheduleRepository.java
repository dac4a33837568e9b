package dev.taskq.store.schedule;

import dev.taskq.common.schedule.RunOutcome;
import dev.taskq.common.schedule.ScheduleStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/** Reads, locks and the scheduler's claim of schedule rows, and the insert of their runs. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<ScheduleEntity, UUID> {

    /** Locks one schedule, waiting for a scheduler that is firing it: pause, resume and cancel start here. */
    public Optional<ScheduleEntity> lockForUpdate(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Claims up to {@code limit} ACTIVE schedules due by {@code now}, most overdue first (earlier pipeline steps first
     * among equals), locked for the rest of the transaction. SKIP LOCKED lets several scheduler replicas claim side by
     * side without waiting on each other.
     */
    @SuppressWarnings("unchecked")
    public List<ScheduleEntity> claimDue(Instant now, int limit) {
        return getEntityManager().createNativeQuery("""
                        select * from schedules
                        where status = 'ACTIVE' and next_fire_at <= ?1
                        order by next_fire_at, pipeline_step nulls first
                        limit ?2
                        for update skip locked""", ScheduleEntity.class)
                .setParameter(1, Timestamp.from(now))
                .setParameter(2, limit)
                .getResultList();
    }

    /**
     * Claims one schedule if it is still ACTIVE and due by {@code now} and no other transaction holds it: the scheduler
     * fires the schedules of a failed batch one by one with it.
     */
    @SuppressWarnings("unchecked")
    public Optional<ScheduleEntity> claimDue(UUID id, Instant now) {
        return getEntityManager().createNativeQuery("""
                        select * from schedules
                        where id = ?1 and status = 'ACTIVE' and next_fire_at <= ?2
                        for update skip locked""", ScheduleEntity.class)
                .setParameter(1, id)
                .setParameter(2, Timestamp.from(now))
                .getResultStream().findFirst();
    }

    /** The earliest next_fire_at of an ACTIVE schedule, so an idle scheduler knows how long it may sleep. */
    public Optional<Instant> earliestDue() {
        return getEntityManager().createQuery(
                        "select min(s.nextFireAt) from ScheduleEntity s where s.status = :active", Instant.class)
                .setParameter("active", ScheduleStatus.ACTIVE)
                .getResultStream().filter(Objects::nonNull).findFirst();
    }

    /**
     * Records one fire time; returns the run id, or empty when that fire time already has a run (another replica
     * fired it), in which case the caller must create nothing for it.
     */
    public Optional<Long> insertRun(UUID scheduleId, Instant fireTime, Instant firedAt, RunOutcome outcome) {
        return insertRun(scheduleId, fireTime, firedAt, outcome, null);
    }

    /** As {@link #insertRun(UUID, Instant, Instant, RunOutcome)}, with the reason a FIRE_FAILED run created nothing. */
    public Optional<Long> insertRun(UUID scheduleId, Instant fireTime, Instant firedAt, RunOutcome outcome, String reason) {
        List<?> ids = getEntityManager().createNativeQuery("""
                        insert into schedule_runs (schedule_id, fire_time, fired_at, outcome, reason)
                        values (?1, ?2, ?3, ?4, ?5)
                        on conflict (schedule_id, fire_time) do nothing
                        returning id""")
                .setParameter(1, scheduleId)
                .setParameter(2, Timestamp.from(fireTime))
                .setParameter(3, Timestamp.from(firedAt))
                .setParameter(4, outcome.name())
                .setParameter(5, reason)
                .getResultList();
        return ids.stream().findFirst().map(id -> ((Number) id).longValue());
    }

    /** A FIRED run to insert with the rest of its batch; the task or workflow it created is written already. */
    public record FiredRun(UUID scheduleId, Instant fireTime, Instant firedAt, UUID taskId, UUID workflowId) {}

    /**
     * Inserts a batch's FIRED runs in one statement, each linked to its task or workflow, {@code ON CONFLICT DO
     * NOTHING}; returns how many rows were inserted (fewer means a fire time had a run already, and the caller must
     * roll back what it created for it). Pending entity writes are flushed first: the runs reference their rows.
     */
    public int insertFiredRuns(List<FiredRun> runs) {
        if (runs.isEmpty()) {
            return 0;
        }
        getEntityManager().flush();
        String[][] columns = new String[5][runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            FiredRun run = runs.get(i);
            columns[0][i] = run.scheduleId().toString();
            columns[1][i] = run.fireTime().toString();
            columns[2][i] = run.firedAt().toString();
            columns[3][i] = run.taskId() == null ? null : run.taskId().toString();
            columns[4][i] = run.workflowId() == null ? null : run.workflowId().toString();
        }
        // Arrays of ISO-8601 text cast in SQL: one statement and one round trip for the whole batch.
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into schedule_runs (schedule_id, fire_time, fired_at, outcome, task_id, workflow_id)
                    select r.schedule_id, r.fire_time, r.fired_at, 'FIRED', r.task_id, r.workflow_id
                    from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::text[]::uuid[],
                                ?::text[]::uuid[]) as r (schedule_id, fire_time, fired_at, task_id, workflow_id)
                    on conflict (schedule_id, fire_time) do nothing""")) {
                for (int column = 0; column < columns.length; column++) {
                    statement.setArray(column + 1, connection.createArrayOf("text", columns[column]));
                }
                return statement.executeUpdate();
            }
        });
    }

    /** A pipeline's steps in order. */
    public List<ScheduleEntity> pipelineSteps(UUID pipelineId) {
        return list("pipelineId = ?1 order by pipelineStep", pipelineId);
    }

    /** Links a run to the workflow it created. */
    public void linkRunToWorkflow(long runId, UUID workflowId) {
        getEntityManager().createNativeQuery("update schedule_runs set workflow_id = ?1 where id = ?2")
                .setParameter(1, workflowId)
                .setParameter(2, runId)
                .executeUpdate();
    }

    /** Links a run to the task it created. */
    public void linkRun(long runId, UUID taskId) {
        getEntityManager().createNativeQuery("update schedule_runs set task_id = ?1 where id = ?2")
                .setParameter(1, taskId)
                .setParameter(2, runId)
                .executeUpdate();
    }
}
