package dev.taskq.worker.domain;

import dev.taskq.common.event.TaskDispatch;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Test builder of dispatches with sensible defaults. */
public record Dispatches(
        UUID taskId, int attempt, String prompt, String workingDir, int timeoutSeconds, Integer maxTurns, String model) {

    public static Dispatches aDispatch() {
        return new Dispatches(UUID.randomUUID(), 1, "say hello", null, 60, null, null);
    }

    public Dispatches prompt(String value) {
        return new Dispatches(taskId, attempt, value, workingDir, timeoutSeconds, maxTurns, model);
    }

    public Dispatches workingDir(String value) {
        return new Dispatches(taskId, attempt, prompt, value, timeoutSeconds, maxTurns, model);
    }

    public Dispatches timeoutSeconds(int value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, value, maxTurns, model);
    }

    public Dispatches maxTurns(Integer value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, value, model);
    }

    public Dispatches model(String value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, value);
    }

    public TaskDispatch build() {
        Instant now = Instant.now();
        return new TaskDispatch(taskId, attempt, 5, "default", prompt, workingDir, timeoutSeconds, maxTurns, model,
                UUID.randomUUID(), Map.of(), now, now);
    }
}
