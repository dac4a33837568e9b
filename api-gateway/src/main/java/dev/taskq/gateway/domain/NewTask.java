package dev.taskq.gateway.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A submitted task that passed every rule, with its defaults filled in. */
public record NewTask(
        String prompt,
        int priority,
        List<UUID> dependsOn,
        String workingDir,
        int timeoutSeconds,
        Integer maxTurns,
        String model,
        String pool,
        Map<String, String> metadata,
        int maxAttempts) {}
