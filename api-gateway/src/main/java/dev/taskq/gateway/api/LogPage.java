package dev.taskq.gateway.api;

import dev.taskq.common.domain.TaskStatus;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a task's log; {@code nextCursor} goes back as {@code after}, {@code complete} once nothing more can come. */
public record LogPage(
        List<LogLineView> items,
        long nextCursor,
        TaskStatus taskStatus,
        boolean complete,
        @Schema(description = "When retention deleted the task's lines (taskq.dependency.retention.task-logs after it finished), "
                + "which is why none are left; null while they are kept.")
        Instant logsDeletedAt) {}
