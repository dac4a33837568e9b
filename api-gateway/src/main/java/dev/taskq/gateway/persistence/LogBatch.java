package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.TaskLogEntity;
import java.time.Instant;
import java.util.List;

/**
 * Lines of a task's log after a cursor, with the task's status as read just before them, and when retention deleted
 * its lines (null while they are kept).
 */
public record LogBatch(TaskStatus status, String statusReason, Instant logsDeletedAt, List<TaskLogEntity> lines, boolean more) {

    /** The status was read first, so a terminal status means every line was already written. */
    public boolean complete() {
        return status.isTerminal() && !more;
    }
}
