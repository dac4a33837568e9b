package dev.taskq.gateway.api;

import dev.taskq.store.persistence.TaskEntity;
import java.math.BigDecimal;
import java.util.Map;

/** What the session's final result line reported, and how its process exited. */
public record ResultView(
        String subtype,
        Boolean isError,
        String text,
        Integer numTurns,
        BigDecimal totalCostUsd,
        Map<String, Object> usage,
        Integer exitCode) {

    /** Null until the task has a result or an exit code. */
    static ResultView of(TaskEntity task) {
        if (task.resultSubtype == null && task.resultText == null && task.exitCode == null) {
            return null;
        }
        return new ResultView(task.resultSubtype, task.resultIsError, task.resultText, task.numTurns,
                task.totalCostUsd, task.usage, task.exitCode);
    }
}
