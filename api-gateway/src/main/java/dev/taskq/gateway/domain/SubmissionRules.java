package dev.taskq.gateway.domain;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.store.lifecycle.NewTask;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The submission rules beyond the request's annotations: configured limits, duplicates, paths, priority names. */
@ApplicationScoped
public class SubmissionRules {

    private final GatewayConfig.Submission config;

    public SubmissionRules(GatewayConfig config) {
        this.config = config.submission();
    }

    /**
     * The task to create from a draft; throws {@link InvalidRequestException} naming every offending field at
     * once, so a client fixes its request in one go.
     */
    public NewTask resolve(TaskDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        if (draft.prompt() != null && draft.prompt().length() > config.maxPromptChars()) {
            errors.add(new FieldError("prompt", "must be at most " + config.maxPromptChars()
                    + " characters long, got " + draft.prompt().length()));
        }
        // Postgres text and jsonb cannot hold NUL: caught here, it is a 400 instead of a failed insert.
        if (draft.prompt() != null && draft.prompt().indexOf('\0') >= 0) {
            errors.add(new FieldError("prompt", "must not contain a NUL character"));
        }
        if (draft.metadata() != null) {
            draft.metadata().forEach((key, value) -> {
                if (key.indexOf('\0') >= 0 || (value != null && value.indexOf('\0') >= 0)) {
                    errors.add(new FieldError("metadata", "keys and values must not contain a NUL character"));
                }
            });
        }
        int priority = PriorityClass.DEFAULT_PRIORITY;
        if (draft.priority() != null) {
            try {
                priority = PriorityClass.parsePriority(draft.priority());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("priority",
                        "must be a number from 1 (lowest) to 10 (highest) or a class P0 (most urgent) to P3, got '"
                                + draft.priority() + "'"));
            }
        }
        int timeoutSeconds = draft.timeoutSeconds() == null ? config.defaultTimeoutSeconds() : draft.timeoutSeconds();
        if (timeoutSeconds > config.maxTimeoutSeconds()) {
            errors.add(new FieldError("timeoutSeconds", "must be at most " + config.maxTimeoutSeconds()
                    + " seconds, got " + timeoutSeconds));
        }
        List<UUID> dependsOn = draft.dependsOn() == null ? List.of() : draft.dependsOn();
        errors.addAll(duplicates(dependsOn));
        if (draft.workingDir() != null) {
            workingDirError(draft.workingDir()).ifPresent(message -> errors.add(new FieldError("workingDir", message)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Map<String, String> metadata = draft.metadata() == null ? Map.of() : new HashMap<>(draft.metadata());
        return new NewTask(draft.prompt(), priority, List.copyOf(dependsOn), draft.workingDir(), timeoutSeconds,
                draft.maxTurns(), draft.model(), draft.pool() == null ? config.defaultPool() : draft.pool(),
                metadata, config.maxAttempts());
    }

    private static List<FieldError> duplicates(List<UUID> dependsOn) {
        List<FieldError> errors = new ArrayList<>();
        Map<UUID, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < dependsOn.size(); i++) {
            Integer earlier = firstIndex.putIfAbsent(dependsOn.get(i), i);
            if (earlier != null) {
                errors.add(new FieldError("dependsOn[" + i + "]", "repeats dependsOn[" + earlier + "] (" + dependsOn.get(i)
                        + "); list each dependency once"));
            }
        }
        return errors;
    }

    /** Why a working directory is unsafe for a worker to cd into, if it is. */
    static Optional<String> workingDirError(String path) {
        if (path.indexOf('\0') >= 0) {
            return Optional.of("must not contain a NUL character");
        }
        if (!path.startsWith("/")) {
            return Optional.of("must be an absolute path (starting with /), got '" + path + "'");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return Optional.of("must not contain '..' segments, got '" + path + "'");
            }
        }
        return Optional.empty();
    }
}
