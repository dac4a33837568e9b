package dev.taskq.gateway.api;

import dev.taskq.common.domain.LogKind;
import dev.taskq.store.persistence.TaskLogEntity;
import java.time.Instant;

/** One line of a session's output; {@code id} is the cursor to resume after it. */
public record LogLineView(long id, int attempt, long lineNumber, Instant at, LogKind kind, String text) {

    static LogLineView of(TaskLogEntity line) {
        return new LogLineView(line.id, line.attempt, line.lineNumber, line.loggedAt, line.kind, line.text);
    }
}
