package dev.taskq.gateway.mcp;

import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.api.AnswerRequest;
import dev.taskq.gateway.api.Idempotency;
import dev.taskq.gateway.api.NotifyEntryRequest;
import dev.taskq.gateway.api.RepoRequest;
import dev.taskq.gateway.api.RetrySettings;
import dev.taskq.gateway.api.SubmitTaskRequest;
import dev.taskq.gateway.api.TaskFieldRules;
import dev.taskq.gateway.domain.IdempotencyKey;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.RetryCommands;
import dev.taskq.gateway.domain.Submitted;
import dev.taskq.gateway.domain.TaskCommands;
import dev.taskq.gateway.persistence.ListCursor;
import dev.taskq.gateway.persistence.LogBatch;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.gateway.persistence.TaskListPage;
import dev.taskq.gateway.persistence.TaskLogRepository;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import dev.taskq.store.persistence.TaskLogEntity;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The MCP tools of single tasks: delegate one, see how it is doing, read its output, answer its question, cancel, retry or
 * resume it.
 */
@Singleton
@ToolErrors
public class TaskTools {

    static final String CANCEL_REASON = "cancelled through MCP";
    private static final int MAX_LIST = 200;
    private static final int MAX_LOG_LINES = 500;

    private final TaskCommands commands;
    private final RetryCommands retries;
    private final TaskQueries queries;
    private final TaskLogRepository logs;
    private final RequestBodies bodies;
    private final McpCaller caller;

    public TaskTools(TaskCommands commands, RetryCommands retries, TaskQueries queries, TaskLogRepository logs,
                     RequestBodies bodies, McpCaller caller) {
        this.commands = commands;
        this.retries = retries;
        this.queries = queries;
        this.logs = logs;
        this.bodies = bodies;
        this.caller = caller;
    }

    /** The MCP tool's command list as the REST API takes it: with shell, its one element as a string. */
    private static Object commandNode(List<String> command, Boolean shell) {
        if (command != null && Boolean.TRUE.equals(shell) && command.size() == 1) {
            return command.getFirst();
        }
        return command;
    }

    @Tool(name = "DelegateTask", description = """
            Hands a piece of work to a background Claude Code session that taskq runs on a worker host, and answers at \
            once with the new task's id. The session sees only the prompt, not this conversation: say what to do, \
            where, and how to tell it is done. Use it for long or parallel work; follow it with TaskStatus and TaskLogs. \
            dependsOn makes it wait for other tasks; continueFrom also hands it one task's result and output.""",
            annotations = @Tool.Annotations(title = "Delegate a task", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = true))
    @RunOnVirtualThread
    public String delegateTask(
            @ToolArg(description = "What the background session should do, self-contained. At most 100000 characters.")
            String prompt,
            @ToolArg(description = "P0 (most urgent) to P3, or 1 (lowest) to 10 (highest). Default 5 (P2).", required = false)
            String priority,
            @ToolArg(description = "Ids of existing tasks that must succeed before this one runs; at most 100, each once.",
                    required = false)
            List<UUID> dependsOn,
            @ToolArg(description = "Id of a task whose result, last output lines, errors and git state are added to this "
                    + "prompt when it starts, so it picks up where that task stopped. Counts as a dependency.", required = false)
            UUID continueFrom,
            @ToolArg(description = TaskFieldRules.WORKING_DIR, required = false)
            String workingDir,
            @ToolArg(description = "The worker pool that may run it. Default 'default'.", required = false)
            String pool,
            @ToolArg(description = "Seconds before the session is killed: 1 to 86400. Default 3600.", required = false)
            Integer timeoutSeconds,
            @ToolArg(description = "The model the session uses, e.g. claude-sonnet-4-5; the CLI's default when absent.",
                    required = false)
            String model,
            @ToolArg(description = "The most agentic turns the session may take: 1 to 1000.", required = false)
            Integer maxTurns,
            @ToolArg(description = "Where to announce the task's end: entries {destination: '<configured destination name>'}, "
                    + "or inline {type: discord, webhookUrl} / {type: telegram, botToken, chatId} / {type: webhook, url, secret}; "
                    + "optional events, e.g. [TASK_STARTED, TASK_SUCCEEDED, TASK_FAILED]. At most 10.", required = false)
            List<NotifyEntryRequest> notify,
            @ToolArg(description = TaskFieldRules.ON_DEPENDENCY_FAILURE, required = false)
            String onDependencyFailure,
            @ToolArg(description = TaskFieldRules.CONCURRENCY_KEY, required = false)
            String concurrencyKey,
            @ToolArg(description = "Attempts in all when infrastructure fails (worker lost, API overloaded): 1 to 20. Default 3.",
                    required = false)
            Integer maxAttempts,
            @ToolArg(description = "Free-form string labels carried with the task.", required = false)
            Map<String, String> metadata,
            @ToolArg(description = TaskFieldRules.MAX_BUDGET_USD, required = false)
            BigDecimal maxBudgetUsd,
            @ToolArg(description = TaskFieldRules.ALLOWED_TOOLS, required = false)
            List<String> allowedTools,
            @ToolArg(description = TaskFieldRules.DISALLOWED_TOOLS, required = false)
            List<String> disallowedTools,
            @ToolArg(description = TaskFieldRules.APPEND_SYSTEM_PROMPT, required = false)
            String appendSystemPrompt,
            @ToolArg(description = TaskFieldRules.PERMISSION_MODE, required = false)
            String permissionMode,
            @ToolArg(description = TaskFieldRules.REPO + " {url, ref}; ref is a branch, tag or commit (default branch when absent).",
                    required = false)
            RepoRequest repo,
            @ToolArg(description = TaskFieldRules.KIND, required = false)
            String kind,
            @ToolArg(description = "For kind command: the argv, e.g. [\"npm\", \"test\"], run without a shell; with shell "
                    + "true, a single element: the command line for /bin/sh -c. The pool must allow the executable.",
                    required = false)
            List<String> command,
            @ToolArg(description = TaskFieldRules.SHELL, required = false)
            Boolean shell,
            @ToolArg(description = TaskFieldRules.AGENT, required = false)
            String agent,
            @ToolArg(description = "A fresh unique string, e.g. a UUID. Calling again with the same key and arguments "
                    + "returns the task the first call created instead of a second one: use it when you retry a call "
                    + "whose answer you did not get.", required = false)
            String idempotencyKey) {
        SubmitTaskRequest request = new SubmitTaskRequest(prompt, priority, dependsOn, workingDir, timeoutSeconds, maxTurns,
                model, pool, metadata, notify, onDependencyFailure, continueFrom, concurrencyKey,
                maxAttempts == null ? null : new RetrySettings(maxAttempts, null, null, null),
                maxBudgetUsd, allowedTools, disallowedTools, appendSystemPrompt, permissionMode, repo,
                kind, commandNode(command, shell), shell, agent);
        bodies.check(request);
        IdempotencyKey key = idempotencyKey == null ? null
                : Idempotency.key(caller.principal(), IdempotencyKey.TASKS, "idempotencyKey", idempotencyKey, request);
        Submitted<TaskDetails> submitted = commands.submit(request.toDraft(), request.notifyEntries(), key, caller.session());
        return submitted.created()
                ? TaskTexts.created("Task", submitted.value())
                : "This idempotencyKey was used before: no new task. " + TaskTexts.status(submitted.value());
    }

    @RequiresRole(Role.VIEWER)
    @Tool(name = "TaskStatus", description = """
            Shows one task: its state (WAITING, QUEUED, DISPATCHED, RUNNING, WAITING_FOR_INPUT, SUCCEEDED, FAILED, \
            TIMED_OUT, CANCELLED, UPSTREAM_FAILED, SKIPPED), attempts, why it has not started yet, the question its \
            session asked when it waits for an answer, its result text and cost, its error, and what you can do next.""",
            annotations = @Tool.Annotations(title = "Show a task", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RunOnVirtualThread
    public String taskStatus(@ToolArg(description = "The task id.") UUID taskId) {
        return TaskTexts.status(queries.details(taskId).orElseThrow(() -> new TaskNotFoundException(taskId)));
    }

    @RequiresRole(Role.VIEWER)
    @Tool(name = "ListTasks", description = "Lists tasks, newest first: id, state, priority, pool and the start of the prompt.",
            annotations = @Tool.Annotations(title = "List tasks", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RunOnVirtualThread
    public String listTasks(
            @ToolArg(description = "Only tasks in these states, e.g. [RUNNING, QUEUED]; all when absent.", required = false)
            List<TaskStatus> status,
            @ToolArg(description = "Only tasks of this worker pool.", required = false)
            String pool,
            @ToolArg(description = "Only the tasks this Claude Code session delegated.", defaultValue = "false")
            boolean onlyThisSession,
            @ToolArg(description = "At most this many, 1 to 200.", defaultValue = "20")
            int limit,
            @ToolArg(description = "The cursor the previous page ended with, to read on.", required = false)
            String cursor) {
        Set<TaskStatus> statuses = status == null || status.isEmpty() ? EnumSet.noneOf(TaskStatus.class) : EnumSet.copyOf(status);
        String session = onlyThisSession ? thisSession() : null;
        TaskListPage page = queries.list(statuses, pool == null || pool.isBlank() ? null : pool, session, listCursor(cursor),
                Math.clamp(limit, 1, MAX_LIST));
        if (page.tasks().isEmpty()) {
            return "No tasks match.";
        }
        StringBuilder text = new StringBuilder();
        page.tasks().forEach(task -> text.append(TaskTexts.listLine(task)).append('\n'));
        text.append(page.next() == null ? "That is all." : "More: call ListTasks with cursor=" + page.next().encode());
        return text.toString();
    }

    @RequiresRole(Role.VIEWER)
    @Tool(name = "TaskLogs", description = """
            Reads a task's session output (assistant text, tool calls and results, errors): by default its last lines; \
            with after=<cursor> the lines written after an earlier call, to follow a running task.""",
            annotations = @Tool.Annotations(title = "Read a task's output", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RunOnVirtualThread
    @Transactional
    public String taskLogs(
            @ToolArg(description = "The task id.") UUID taskId,
            @ToolArg(description = "How many of the newest lines to show, 1 to 500.", defaultValue = "50") int tail,
            @ToolArg(description = "A cursor from an earlier TaskLogs answer: show the lines written after it instead of the tail.",
                    required = false)
            Long after) {
        int lines = Math.clamp(tail, 1, MAX_LOG_LINES);
        long cursor;
        if (after != null) {
            cursor = after;
        } else {
            // The tail is the page that starts just before the oldest of the newest lines.
            List<TaskLogEntity> newest = logs.find("taskId = ?1 order by id desc", taskId).page(0, lines).list();
            cursor = newest.isEmpty() ? 0 : newest.getLast().id - 1;
        }
        LogBatch batch = logs.read(taskId, cursor, lines).orElseThrow(() -> new TaskNotFoundException(taskId));
        StringBuilder text = new StringBuilder("Task ").append(taskId).append(" is ").append(batch.status());
        if (batch.lines().isEmpty()) {
            text.append(after == null ? "; it has no output yet." : "; no new output.");
        } else {
            text.append("; ").append(batch.lines().size()).append(batch.lines().size() == 1 ? " line:" : " lines:");
            batch.lines().forEach(line -> text.append('\n').append(TaskTexts.logLine(line)));
        }
        long next = batch.lines().isEmpty() ? cursor : batch.lines().getLast().id;
        text.append('\n').append(batch.complete()
                ? "The task has ended; that is all of its output."
                : (batch.more() ? "More lines follow" : "For newer lines") + ", call TaskLogs with after=" + next + ".");
        return text.toString();
    }

    @Tool(name = "CancelTask", description = """
            Cancels a task that has not finished; a worker running it kills the session. With cascade (the default) the \
            tasks waiting on it are cancelled too; without, each reacts by its onDependencyFailure.""",
            annotations = @Tool.Annotations(title = "Cancel a task", readOnlyHint = false, destructiveHint = true,
                    idempotentHint = false, openWorldHint = false))
    @RunOnVirtualThread
    public String cancelTask(
            @ToolArg(description = "The task id.") UUID taskId,
            @ToolArg(description = "Cancel the tasks waiting on it too.", defaultValue = "true") boolean cascade) {
        TaskDetails cancelled = commands.cancel(taskId, CANCEL_REASON, cascade);
        return "Task " + cancelled.task().id + " is " + cancelled.task().status
                + (cascade ? "; tasks waiting on it were cancelled with it." : "; tasks waiting on it follow their onDependencyFailure.");
    }

    @Tool(name = "AnswerQuestion", description = """
            Answers the question a task's session asked a human: the task is WAITING_FOR_INPUT, and TaskStatus shows \
            the question. The task is queued again and the same session resumes with the question and your answer.""",
            annotations = @Tool.Annotations(title = "Answer a task's question", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = true))
    @RunOnVirtualThread
    public String answerQuestion(
            @ToolArg(description = "The id of the task waiting for an answer.") UUID taskId,
            @ToolArg(description = TaskFieldRules.ANSWER) String answer) {
        AnswerRequest request = new AnswerRequest(answer);
        bodies.check(request);
        return TaskTexts.answered(commands.answer(taskId, request.answer()));
    }

    @Tool(name = "RetryTask", description = """
            Runs a task that ended FAILED, TIMED_OUT or CANCELLED again, as a new task with the same prompt and settings \
            (retryOf names the original). additionalContext is appended to the prompt, e.g. what to do differently. \
            With includeDependents (the default) the tasks below it that never ran because of it are re-created too.""",
            annotations = @Tool.Annotations(title = "Retry a task", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = true))
    @RunOnVirtualThread
    public String retryTask(
            @ToolArg(description = "The id of the task that ended.") UUID taskId,
            @ToolArg(description = "Text added to the prompt after a blank line.", required = false) String additionalContext,
            @ToolArg(description = "Re-create the dependents that never ran because of it.", defaultValue = "true")
            boolean includeDependents) {
        RetryCommands.RetryOutcome outcome = retries.retry(taskId, additionalContext, includeDependents, caller.session());
        StringBuilder text = new StringBuilder(TaskTexts.created("Retry task", outcome.task()));
        outcome.dependents().forEach(dependent -> text.append("\nRe-created dependent ").append(dependent.id())
                .append(" (replaces ").append(dependent.retryOf()).append(')'));
        return text.toString();
    }

    @Tool(name = "ResumeTask", description = """
            Continues the Claude session of a task that ended (whatever its state), as a new task: the session goes on \
            with its whole transcript, given additionalContext as the next instruction ("Continue where you left off." \
            when absent). Use it to follow up on finished work or answer what a session asked.""",
            annotations = @Tool.Annotations(title = "Resume a task's session", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = true))
    @RunOnVirtualThread
    public String resumeTask(
            @ToolArg(description = "The id of the task whose session to continue.") UUID taskId,
            @ToolArg(description = "The next instruction for the session.", required = false) String additionalContext) {
        return TaskTexts.created("Resume task", retries.resume(taskId, additionalContext, caller.session()));
    }

    private String thisSession() {
        String session = caller.session();
        if (session == null) {
            throw new InvalidRequestException("onlyThisSession", "cannot be answered: taskq does not know this connection's "
                    + "Claude Code session (the main-session kit's SessionCheckIn hook tells it)");
        }
        return session;
    }

    private static ListCursor listCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return ListCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor", "is not a cursor ListTasks returned; pass the one the previous page ended with");
        }
    }
}
