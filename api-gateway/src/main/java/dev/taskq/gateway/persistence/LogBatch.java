package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.TaskLogEntity;
import java.util.List;

/** Lines of a task's log after a cursor, with the task's status as read just before them. */
public record LogBatch(TaskStatus status, String statusReason, List<TaskLogEntity> lines, boolean more) {

    /** The status was read first, so a terminal status means every line was already written. */
    public boolean complete() {
        return status.isTerminal() && !more;
    }
}
