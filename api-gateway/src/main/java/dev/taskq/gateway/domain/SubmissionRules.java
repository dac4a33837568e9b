package dev.taskq.gateway.domain;

import dev.taskq.common.domain.CommandPolicy;
import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskKind;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.persistence.AgentRoleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The submission rules beyond the request's annotations: configured limits, duplicates, workspaces (a working dir under
 * an allowed root, or a repository), priority names, a task's kind (a command the policy allows, and who may submit it)
 * and its agent role.
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
    private final CommandPolicy commandPolicy;
    private final List<String> commandSubmitterRoles;
    private final Predicate<String> agentRoleExists;
    private final CallerRoles callerRoles;

    @Inject
    public SubmissionRules(GatewayConfig config, AgentRoleRepository agentRoles, CallerRoles callerRoles) {
        // FOR SHARE: a role cannot be deleted between this check and the commit of the task that names it.
        this(config, name -> agentRoles.findByIdOptional(name, LockModeType.PESSIMISTIC_READ).isPresent(), callerRoles);
    }

    SubmissionRules(GatewayConfig config, Predicate<String> agentRoleExists, CallerRoles callerRoles) {
        this.config = config.submission();
        this.allowedRoots = WorkspaceRules.roots(config.workspaces().allowedRoots());
        this.allowLocalRepos = config.workspaces().allowLocalRepos();
        GatewayConfig.CommandTasks commands = config.commandTasks();
        this.commandPolicy = new CommandPolicy(commands.enabled(), commands.allowedExecutables(),
                Set.copyOf(commands.shellPools().orElse(List.of())), "taskq.api.command-tasks");
        this.commandSubmitterRoles = List.copyOf(commands.submitterRoles());
        this.agentRoleExists = agentRoleExists;
        this.callerRoles = callerRoles;
    }

    /**
     * The task to create from a draft; throws {@link InvalidRequestException} naming every offending field at
     * once, so a client fixes its request in one go.
     */
    public NewTask resolve(TaskDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        List<FieldError> refused = new ArrayList<>();
        TaskKind kind = TaskKind.CLAUDE;
        if (draft.kind() != null) {
            kind = TaskKind.parse(draft.kind());
            if (kind == null) {
                errors.add(new FieldError("kind", "must be claude or command, got '" + abbreviate(draft.kind()) + "'"));
            }
        }
        String pool = draft.pool() == null ? config.defaultPool() : draft.pool();
        NewTask.Command command = kind == TaskKind.COMMAND ? command(draft, pool, errors, refused) : null;
        if (kind == TaskKind.CLAUDE) {
            notForClaudeTasks(draft, errors);
            if (draft.agent() != null && !agentRoleExists.test(draft.agent())) {
                refused.add(new FieldError("agent", "names no agent role: '" + abbreviate(draft.agent())
                        + "' (GET /api/v1/agent-roles lists them)"));
            }
        }
        if (kind != TaskKind.COMMAND && (draft.prompt() == null || draft.prompt().isBlank())) {
            errors.add(new FieldError("prompt", "must not be blank"));
        }
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
        boolean workspaceOnly = errors.stream().allMatch(error -> WorkspaceNotAllowedException.isWorkspaceField(error.field()));
        if (!errors.isEmpty() && (!workspaceOnly || refused.isEmpty())) {
            errors.addAll(refused);
            // A well-formed request whose only fault is where it wants to work is refused by policy, not malformed.
            throw workspaceOnly ? new WorkspaceNotAllowedException(errors) : new InvalidRequestException(errors);
        }
        if (!refused.isEmpty()) {
            errors.addAll(refused);
            boolean commandRefused = refused.stream().anyMatch(error -> !error.field().equals("agent"));
            throw new TaskNotAllowedException(commandRefused ? TaskNotAllowedException.Reason.COMMAND_NOT_ALLOWED
                    : TaskNotAllowedException.Reason.UNKNOWN_AGENT_ROLE, errors);
        }
        if (command != null && callerRoles.current().stream().noneMatch(commandSubmitterRoles::contains)) {
            throw new CommandTasksForbiddenException(commandSubmitterRoles);
        }
        Map<String, String> metadata = draft.metadata() == null ? Map.of() : new HashMap<>(draft.metadata());
        // A command task's prompt is its description for people: lists, notifications and the dashboard show it.
        String prompt = command != null && (draft.prompt() == null || draft.prompt().isBlank())
                ? String.join(" ", command.argv()) : draft.prompt();
        return new NewTask(prompt, priority, List.copyOf(dependsOn), draft.workingDir(), timeoutSeconds,
                draft.maxTurns(), draft.model(), pool,
                metadata, maxAttempts, retries, policy, draft.continueFrom(), draft.concurrencyKey(), null,
                draft.maxBudgetUsd(), draft.allowedTools(), draft.disallowedTools(), draft.appendSystemPrompt(), permissionMode,
                repo, command, kind == TaskKind.CLAUDE ? draft.agent() : null);
    }

    /**
     * A command task's command, checked for shape (problems added to {@code errors}) and then against the policy
     * (refusals added to {@code refused}); null when it has problems.
     */
    private NewTask.Command command(TaskDraft draft, String pool, List<FieldError> errors, List<FieldError> refused) {
        claudeOnlyFields(draft).forEach(field -> errors.add(new FieldError(field, "is a claude task setting; a command task "
                + "takes none")));
        boolean shell = Boolean.TRUE.equals(draft.shell());
        TaskDraft.Command command = draft.command();
        int before = errors.size();
        List<String> argv;
        if (command == null) {
            errors.add(new FieldError("command", "is required for a command task: " + (shell ? "the command line to run"
                    : "the argv, e.g. [\"npm\", \"test\"]")));
            return null;
        } else if (shell) {
            if (command.line() == null) {
                errors.add(new FieldError("command", "must be one string with shell: true, the line /bin/sh -c runs"));
                return null;
            }
            argv = List.of(command.line());
            textError(command.line(), 100_000).ifPresent(message -> errors.add(new FieldError("command", message)));
        } else {
            if (command.argv() == null) {
                errors.add(new FieldError("command", command.line() != null
                        ? "must be an array of strings (the argv, run without a shell); a single string needs shell: true"
                        : "must be an array of strings, e.g. [\"npm\", \"test\"]"));
                return null;
            }
            argv = command.argv();
            if (argv.isEmpty() || argv.size() > 1000) {
                errors.add(new FieldError("command", "must have 1 to 1000 elements, got " + argv.size()));
            }
            for (int i = 0; i < argv.size(); i++) {
                String element = argv.get(i);
                String field = "command[" + i + "]";
                if (element == null) {
                    errors.add(new FieldError(field, "must be a string"));
                } else if (i == 0 && element.isBlank()) {
                    errors.add(new FieldError(field, "must name the executable, not be blank"));
                } else {
                    textError(element, 32_000).ifPresent(message -> errors.add(new FieldError(field, message)));
                }
            }
        }
        if (errors.size() > before) {
            return null;
        }
        commandPolicy.refusal(pool, argv, shell)
                .ifPresent(refusal -> refused.add(new FieldError(refusal.field(), refusal.message() + " (" + refusal.rule() + ")")));
        return new NewTask.Command(argv, shell);
    }

    /** A claude task's fields that say nothing to a command, and so are refused rather than silently ignored. */
    private static List<String> claudeOnlyFields(TaskDraft draft) {
        List<String> fields = new ArrayList<>();
        if (draft.maxTurns() != null) {
            fields.add("maxTurns");
        }
        if (draft.model() != null) {
            fields.add("model");
        }
        if (draft.maxBudgetUsd() != null) {
            fields.add("maxBudgetUsd");
        }
        if (draft.allowedTools() != null && !draft.allowedTools().isEmpty()) {
            fields.add("allowedTools");
        }
        if (draft.disallowedTools() != null && !draft.disallowedTools().isEmpty()) {
            fields.add("disallowedTools");
        }
        if (draft.appendSystemPrompt() != null) {
            fields.add("appendSystemPrompt");
        }
        if (draft.permissionMode() != null) {
            fields.add("permissionMode");
        }
        if (draft.agent() != null) {
            fields.add("agent");
        }
        return fields;
    }

    /** A claude task names no command. */
    private static void notForClaudeTasks(TaskDraft draft, List<FieldError> errors) {
        if (draft.command() != null) {
            errors.add(new FieldError("command", "is only for kind command; add \"kind\": \"command\" to run it"));
        }
        if (Boolean.TRUE.equals(draft.shell())) {
            errors.add(new FieldError("shell", "is only for kind command"));
        }
    }

    /** Why a command's text cannot be stored or run, if it cannot. */
    private static Optional<String> textError(String text, int maxChars) {
        if (text.length() > maxChars) {
            return Optional.of("must be at most " + maxChars + " characters long, got " + text.length());
        }
        // Neither Postgres text nor an exec argument can hold NUL.
        if (text.indexOf('\0') >= 0) {
            return Optional.of("must not contain a NUL character");
        }
        return Optional.empty();
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
