package dev.taskq.common.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One attempt of a task, released to a worker. A worker runs it only while (taskId, attempt) is
 * current; a later attempt of the same task fences this one off.
 *
 * @param sessionId the Claude session id chosen for this attempt, so it is known before the process starts
 * @param prompt what the session is asked; for a continuation, enriched with the parent's context
 * @param readyAt when the task became ready to run, for dispatch latency
 * @param resumeSessionId when set, the session continues this earlier session's transcript
 *     ({@code claude --resume}) instead of starting a fresh one
 * @param targetWorkerId when set, only this worker may run the dispatch (it holds the transcript to resume)
 */
public record TaskDispatch(
        UUID taskId,
        int attempt,
        int priority,
        String pool,
        String prompt,
        String workingDir,
        int timeoutSeconds,
        Integer maxTurns,
        String model,
        UUID sessionId,
        Map<String, String> metadata,
        Instant readyAt,
        Instant dispatchedAt,
        UUID resumeSessionId,
        String targetWorkerId) {}
