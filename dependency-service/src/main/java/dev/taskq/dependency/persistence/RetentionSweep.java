package dev.taskq.dependency.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import org.hibernate.Session;

/**
 * The SQL of retention. Each statement takes the oldest rows past the cut-off that no other transaction holds (SKIP
 * LOCKED), so several replicas can sweep at once, and a submission that names an old task as a dependency (it locks
 * that task FOR SHARE first) either keeps it or, coming second, finds it gone and is refused.
 */
@ApplicationScoped
public class RetentionSweep {

    /** One batch of the log sweep: the tasks whose lines went, and how many lines that was. */
    public record LogBatch(int tasks, long lines) {}

    // Served by tasks_logs_kept_idx and task_logs_task_cursor_idx.
    private static final String DELETE_LOGS = """
            with due as (
                select id from tasks
                where finished_at < ? and logs_deleted_at is null
                order by finished_at
                limit ?
                for update skip locked),
            marked as (
                update tasks t set logs_deleted_at = ? from due where t.id = due.id returning t.id),
            deleted as (
                delete from task_logs l using marked where l.task_id = marked.id returning 1)
            select (select count(*) from marked), (select count(*) from deleted)""";

    // A task goes only once nothing depends on it any more, so a chain goes from its last task back, one statement a
    // link; a workflow's tasks only once the workflow itself finished before the cut-off, so no workflow is left with
    // part of its tasks. The rows that point at a deleted task lose the pointer (V16) or go with it (cascades).
    // Served by tasks_finished_idx and task_dependencies_depends_on_idx.
    private static final String DELETE_TASKS = """
            with due as (
                select t.id from tasks t
                where t.finished_at < ?
                  and not exists (select 1 from task_dependencies d where d.depends_on = t.id)
                  and not exists (select 1 from schedules s where s.last_task_id = t.id)
                  and (t.workflow_id is null
                       or exists (select 1 from workflows w where w.id = t.workflow_id and w.finished_at < ?))
                order by t.finished_at
                limit ?
                for update of t skip locked)
            delete from tasks t using due where t.id = due.id""";

    // Served by workflows_finished_idx and tasks_workflow_idx.
    private static final String DELETE_WORKFLOWS = """
            with due as (
                select w.id from workflows w
                where w.finished_at < ?
                  and not exists (select 1 from tasks t where t.workflow_id = w.id)
                  and not exists (select 1 from schedules s where s.last_workflow_id = w.id)
                order by w.finished_at
                limit ?
                for update skip locked)
            delete from workflows w using due where w.id = due.id""";

    private final EntityManager entityManager;

    public RetentionSweep(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Deletes the log lines of up to {@code limit} tasks that finished before {@code finishedBefore} and still have
     * them, and stamps those tasks' logs_deleted_at with {@code now}, so no later sweep reads them again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public LogBatch deleteLogs(Instant finishedBefore, Instant now, int limit) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(DELETE_LOGS)) {
                statement.setTimestamp(1, Timestamp.from(finishedBefore));
                statement.setInt(2, limit);
                statement.setTimestamp(3, Timestamp.from(now));
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return new LogBatch(row.getInt(1), row.getLong(2));
                }
            }
        });
    }

    /** Deletes up to {@code limit} tasks that finished before {@code finishedBefore} and that nothing keeps; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteTasks(Instant finishedBefore, int limit) {
        return execute(DELETE_TASKS, finishedBefore, finishedBefore, limit);
    }

    /** Deletes up to {@code limit} workflows that finished before {@code finishedBefore} and have no task left; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteWorkflows(Instant finishedBefore, int limit) {
        return execute(DELETE_WORKFLOWS, finishedBefore, limit);
    }

    private int execute(String sql, Object... parameters) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i] instanceof Instant instant ? Timestamp.from(instant) : parameters[i]);
                }
                return statement.executeUpdate();
            }
        });
    }
}
