package dev.taskq.worker.domain;

import dev.taskq.common.event.TaskDispatch;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Test builder of dispatches with sensible defaults. */
public record Dispatches(
        UUID taskId,
        int attempt,
        String prompt,
        String workingDir,
        int timeoutSeconds,
        Integer maxTurns,
        String model,
        UUID resumeSessionId,
        String targetWorkerId) {

    public static Dispatches aDispatch() {
        return new Dispatches(UUID.randomUUID(), 1, "say hello", null, 60, null, null, null, null);
    }

    public Dispatches taskId(UUID value) {
        return new Dispatches(value, attempt, prompt, workingDir, timeoutSeconds, maxTurns, model, resumeSessionId, targetWorkerId);
    }

    public Dispatches attempt(int value) {
        return new Dispatches(taskId, value, prompt, workingDir, timeoutSeconds, maxTurns, model, resumeSessionId, targetWorkerId);
    }

    public Dispatches prompt(String value) {
        return new Dispatches(taskId, attempt, value, workingDir, timeoutSeconds, maxTurns, model, resumeSessionId, targetWorkerId);
    }

    public Dispatches workingDir(String value) {
        return new Dispatches(taskId, attempt, prompt, value, timeoutSeconds, maxTurns, model, resumeSessionId, targetWorkerId);
    }

    public Dispatches timeoutSeconds(int value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, value, maxTurns, model, resumeSessionId, targetWorkerId);
    }

    public Dispatches maxTurns(Integer value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, value, model, resumeSessionId, targetWorkerId);
    }

    public Dispatches model(String value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, value, resumeSessionId, targetWorkerId);
    }

    /** The dispatch continues this earlier session ({@code claude --resume}). */
    public Dispatches resuming(UUID sessionId) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, model, sessionId, targetWorkerId);
    }

    /** Only this worker may run the dispatch (it goes on the direct topic). */
    public Dispatches forWorker(String workerId) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, model, resumeSessionId, workerId);
    }

    public TaskDispatch build() {
        Instant now = Instant.now();
        return new TaskDispatch(taskId, attempt, 5, "default", prompt, workingDir, timeoutSeconds, maxTurns, model,
                UUID.randomUUID(), Map.of(), now, now, resumeSessionId, targetWorkerId);
    }
}
