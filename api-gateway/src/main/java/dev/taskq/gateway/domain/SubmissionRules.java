package dev.taskq.gateway.domain;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.store.lifecycle.NewTask;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The submission rules beyond the request's annotations: configured limits, duplicates, workspaces (a working dir under
 * an allowed root, or a repository), priority names.
 */
@ApplicationScoped
public class SubmissionRules {

    /** The most attempts a task may ask for: enough for a flaky API, not enough to hide a task that always fails. */
    public static final int MAX_ATTEMPTS_LIMIT = 20;
    static final int MAX_INITIAL_BACKOFF_SECONDS = 3600;
    static final int MAX_BACKOFF_SECONDS = 86400;
    static final int MAX_CONCURRENCY_KEY_CHARS = 200;
    /** The modes {@code claude --permission-mode} accepts (claude 2.1.197), spelled as it wants them. */
    static final List<String> PERMISSION_MODES = List.of("default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions");

    private final GatewayConfig.Submission config;
    private final List<Path> allowedRoots;
    private final boolean allowLocalRepos;

    public SubmissionRules(GatewayConfig config) {
        this.config = config.submission();
        this.allowedRoots = WorkspaceRules.roots(config.workspaces().allowedRoots());
        this.allowLocalRepos = config.workspaces().allowLocalRepos();
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
        List<UUID> dependsOn = new ArrayList<>(draft.dependsOn() == null ? List.of() : draft.dependsOn());
        errors.addAll(duplicates(dependsOn));
        // A continuation needs its source to have ended first, so it is a dependency whether or not the client said so.
        if (draft.continueFrom() != null && !dependsOn.contains(draft.continueFrom())) {
            dependsOn.add(draft.continueFrom());
        }
        if (draft.workingDir() != null) {
            WorkspaceRules.workingDirError(draft.workingDir(), allowedRoots)
                    .ifPresent(message -> errors.add(new FieldError("workingDir", message)));
        }
        NewTask.Repo repo = repo(draft, errors);
        DependencyFailurePolicy policy = null;
        if (draft.onDependencyFailure() != null) {
            policy = dependencyFailurePolicy(draft.onDependencyFailure());
            if (policy == null) {
                errors.add(new FieldError("onDependencyFailure", "must be fail, skip or run, got '"
                        + abbreviate(draft.onDependencyFailure()) + "'"));
            }
        }
        if (draft.concurrencyKey() != null) {
            concurrencyKeyError(draft.concurrencyKey()).ifPresent(message -> errors.add(new FieldError("concurrencyKey", message)));
        }
        if (draft.appendSystemPrompt() != null && draft.appendSystemPrompt().indexOf('\0') >= 0) {
            errors.add(new FieldError("appendSystemPrompt", "must not contain a NUL character"));
        }
        String permissionMode = null;
        if (draft.permissionMode() != null) {
            permissionMode = permissionMode(draft.permissionMode());
            if (permissionMode == null) {
                errors.add(new FieldError("permissionMode", "must be one of " + String.join(", ", PERMISSION_MODES)
                        + ", got '" + abbreviate(draft.permissionMode()) + "'"));
            }
        }
        int maxAttempts = config.maxAttempts();
        NewTask.Retries retries = null;
        if (draft.retry() != null) {
            TaskDraft.Retry retry = draft.retry();
            if (retry.maxAttempts() != null) {
                maxAttempts = retry.maxAttempts();
                if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
                    errors.add(new FieldError("retry.maxAttempts", "must be from 1 to " + MAX_ATTEMPTS_LIMIT + ", got " + maxAttempts));
                }
            }
            long initial = retry.initialBackoffSeconds() == null
                    ? NewTask.Retries.DEFAULT.initialBackoff().toSeconds() : retry.initialBackoffSeconds();
            if (initial < 0 || initial > MAX_INITIAL_BACKOFF_SECONDS) {
                errors.add(new FieldError("retry.initialBackoffSeconds", "must be from 0 to " + MAX_INITIAL_BACKOFF_SECONDS
                        + " seconds, got " + initial));
            }
            // An initial backoff above the default cap raises the default cap with it rather than contradicting it.
            long max = retry.maxBackoffSeconds() == null
                    ? Math.max(initial, NewTask.Retries.DEFAULT.maxBackoff().toSeconds()) : retry.maxBackoffSeconds();
            if (max > MAX_BACKOFF_SECONDS) {
                errors.add(new FieldError("retry.maxBackoffSeconds", "must be at most " + MAX_BACKOFF_SECONDS + " seconds, got " + max));
            } else if (max < initial) {
                errors.add(new FieldError("retry.maxBackoffSeconds", "must be at least initialBackoffSeconds (" + initial
                        + "), got " + max));
            }
            retries = new NewTask.Retries(Duration.ofSeconds(Math.max(0, initial)), Duration.ofSeconds(Math.max(0, max)),
                    Boolean.TRUE.equals(retry.onTimeout()));
        }
        if (!errors.isEmpty()) {
            // A well-formed request whose only fault is where it wants to work is refused by policy, not malformed.
            throw errors.stream().allMatch(error -> WorkspaceNotAllowedException.isWorkspaceField(error.field()))
                    ? new WorkspaceNotAllowedException(errors)
                    : new InvalidRequestException(errors);
        }
        Map<String, String> metadata = draft.metadata() == null ? Map.of() : new HashMap<>(draft.metadata());
        return new NewTask(draft.prompt(), priority, List.copyOf(dependsOn), draft.workingDir(), timeoutSeconds,
                draft.maxTurns(), draft.model(), draft.pool() == null ? config.defaultPool() : draft.pool(),
                metadata, maxAttempts, retries, policy, draft.continueFrom(), draft.concurrencyKey(), null,
                draft.maxBudgetUsd(), draft.allowedTools(), draft.disallowedTools(), draft.appendSystemPrompt(), permissionMode,
                repo);
    }

    /** The repository a draft names, checked; its problems are added to {@code errors} as repo, repo.url or repo.ref. */
    private NewTask.Repo repo(TaskDraft draft, List<FieldError> errors) {
        if (draft.repo() == null) {
            return null;
        }
        int before = errors.size();
        // A worktree of a repository is the working directory: a second one would leave the worker to pick.
        if (draft.workingDir() != null) {
            errors.add(new FieldError("repo", "cannot be combined with workingDir: name either a working directory or a "
                    + "repository to clone"));
        }
        String url = draft.repo().url();
        if (url == null) {
            errors.add(new FieldError("repo.url", "is required: the repository to clone, an https:// or ssh:// URL or user@host:path"));
        } else {
            WorkspaceRules.repoUrlError(url, allowLocalRepos).ifPresent(message -> errors.add(new FieldError("repo.url", message)));
        }
        if (draft.repo().ref() != null) {
            WorkspaceRules.gitRefError(draft.repo().ref()).ifPresent(message -> errors.add(new FieldError("repo.ref", message)));
        }
        return errors.size() == before ? new NewTask.Repo(url, draft.repo().ref()) : null;
    }

    /** The policy a client named, in any case; null when it names none of them. */
    static DependencyFailurePolicy dependencyFailurePolicy(String text) {
        try {
            return DependencyFailurePolicy.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The CLI's spelling of the permission mode a client named, in any case; null when it names none of them. */
    static String permissionMode(String text) {
        return PERMISSION_MODES.stream().filter(mode -> mode.equalsIgnoreCase(text.trim())).findFirst().orElse(null);
    }

    /** Why a concurrency key is unusable, if it is. */
    static Optional<String> concurrencyKeyError(String key) {
        if (key.isBlank() || key.length() > MAX_CONCURRENCY_KEY_CHARS) {
            return Optional.of("must be 1 to " + MAX_CONCURRENCY_KEY_CHARS + " characters and not blank, got "
                    + key.length() + " characters");
        }
        // NUL cannot be stored in Postgres text; other control characters would make the key unreadable in a view.
        if (key.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("must be printable: no NUL, newline or other control character");
        }
        return Optional.empty();
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
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
}
