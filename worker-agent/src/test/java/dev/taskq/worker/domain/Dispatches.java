package dev.taskq.worker.domain;

import dev.taskq.common.domain.TaskKind;
import dev.taskq.common.event.TaskDispatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
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
        String targetWorkerId,
        Session session) {

    /** The task's own session settings; {@link #NONE} leaves every one to the worker. */
    public record Session(BigDecimal maxBudgetUsd, List<String> allowedTools, List<String> disallowedTools,
            String appendSystemPrompt, String permissionMode) {
        public static final Session NONE = new Session(null, List.of(), List.of(), null, null);
    }

    public static Dispatches aDispatch() {
        return new Dispatches(UUID.randomUUID(), 1, "say hello", null, 60, null, null, null, null, Session.NONE);
    }

    public Dispatches taskId(UUID value) {
        return new Dispatches(value, attempt, prompt, workingDir, timeoutSeconds, maxTurns, model,
                resumeSessionId, targetWorkerId, session);
    }

    public Dispatches attempt(int value) {
        return new Dispatches(taskId, value, prompt, workingDir, timeoutSeconds, maxTurns, model,
                resumeSessionId, targetWorkerId, session);
    }

    public Dispatches prompt(String value) {
        return new Dispatches(taskId, attempt, value, workingDir, timeoutSeconds, maxTurns, model,
                resumeSessionId, targetWorkerId, session);
    }

    public Dispatches workingDir(String value) {
        return new Dispatches(taskId, attempt, prompt, value, timeoutSeconds, maxTurns, model, resumeSessionId,
                targetWorkerId, session);
    }

    public Dispatches timeoutSeconds(int value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, value, maxTurns, model, resumeSessionId,
                targetWorkerId, session);
    }

    public Dispatches maxTurns(Integer value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, value, model,
                resumeSessionId, targetWorkerId, session);
    }

    public Dispatches model(String value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, value,
                resumeSessionId, targetWorkerId, session);
    }

    /** The dispatch continues this earlier session ({@code claude --resume}). */
    public Dispatches resuming(UUID sessionId) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, model, sessionId,
                targetWorkerId, session);
    }

    /** Only this worker may run the dispatch (it goes on the direct topic). */
    public Dispatches forWorker(String workerId) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, model,
                resumeSessionId, workerId, session);
    }

    /** The dispatch carries the task's own session settings. */
    public Dispatches session(Session value) {
        return new Dispatches(taskId, attempt, prompt, workingDir, timeoutSeconds, maxTurns, model, resumeSessionId,
                targetWorkerId, value);
    }

    public TaskDispatch build() {
        Instant now = Instant.now();
        return TaskDispatch.ofClaude(taskId, attempt, 5, "default", prompt, workingDir, timeoutSeconds, maxTurns, model,
                UUID.randomUUID(), Map.of(), now, now, resumeSessionId, targetWorkerId, session.maxBudgetUsd(),
                session.allowedTools(), session.disallowedTools(), session.appendSystemPrompt(), session.permissionMode(), null, null, null);
    }

    /** A command task's dispatch with this builder's task, attempt, workspace and timeout: an argv, or a shell string. */
    public TaskDispatch command(boolean shell, String... command) {
        TaskDispatch base = build();
        return new TaskDispatch(base.taskId(), base.attempt(), base.priority(), base.pool(), String.join(" ", command),
                base.workingDir(), base.timeoutSeconds(), null, null, base.sessionId(), base.metadata(), base.readyAt(),
                base.dispatchedAt(), null, base.targetWorkerId(), null, List.of(), List.of(), null, null, null, null, null,
                TaskKind.COMMAND, List.of(command), shell, null);
    }
}
