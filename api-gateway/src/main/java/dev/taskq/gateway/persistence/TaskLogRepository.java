package dev.taskq.gateway.persistence;

import dev.taskq.store.persistence.TaskLogEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of a task's log lines by cursor (the line id), for paging and for live streams. */
@ApplicationScoped
public class TaskLogRepository implements PanacheRepositoryBase<TaskLogEntity, Long> {

    /**
     * The task's status, then up to {@code limit} lines after {@code afterId} (served by task_logs_task_cursor_idx);
     * empty when the task does not exist. Each call is its own short transaction, so a stream that calls it
     * every few hundred milliseconds holds no connection in between.
     */
    @Transactional
    public Optional<LogBatch> read(UUID taskId, long afterId, int limit) {
        List<TaskState> states = getEntityManager()
                .createQuery("select new dev.taskq.gateway.persistence.TaskState(t.status, t.statusReason, t.logsDeletedAt)"
                        + " from TaskEntity t where t.id = :id", TaskState.class)
                .setParameter("id", taskId)
                .getResultList();
        if (states.isEmpty()) {
            return Optional.empty();
        }
        TaskState state = states.get(0);
        // One row more than asked tells whether more lines are waiting.
        List<TaskLogEntity> lines = find("taskId = ?1 and id > ?2 order by id", taskId, afterId)
                .range(0, limit)
                .list();
        boolean more = lines.size() > limit;
        return Optional.of(new LogBatch(state.status(), state.statusReason(), state.logsDeletedAt(), more ? lines.subList(0, limit) : lines, more));
    }
}
