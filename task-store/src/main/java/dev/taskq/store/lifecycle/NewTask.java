package dev.taskq.store.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A task that passed every submission rule, with its defaults filled in: what {@link TaskCreator} creates. */
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
