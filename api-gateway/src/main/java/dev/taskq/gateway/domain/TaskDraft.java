package dev.taskq.gateway.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A task as a client submitted it: optional fields are null, the priority is still text. */
public record TaskDraft(
        String prompt,
        String priority,
        List<UUID> dependsOn,
        String workingDir,
        Integer timeoutSeconds,
        Integer maxTurns,
        String model,
        String pool,
        Map<String, String> metadata) {}
