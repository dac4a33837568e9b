package dev.taskq.gateway.api;

import dev.taskq.common.messaging.TopicNames;

/**
 * The validation rules (patterns and messages) of the task fields that a single submission and a workflow's task
 * share, in one place so the two requests cannot drift apart; the public descriptions also document the same fields
 * as MCP tool arguments. Limits that come from configuration are checked by SubmissionRules instead.
 */
public final class TaskFieldRules {

    static final String MODEL_PATTERN = "[A-Za-z0-9._:\\-\\[\\]]{1,100}";
    static final String MODEL_MESSAGE = "must be 1 to 100 letters, digits or . _ : - [ ]";
    static final String POOL_PATTERN = TopicNames.POOL_NAME_PATTERN;
    static final String POOL_MESSAGE = "must be 1 to 100 characters of a-z 0-9 . _ -, starting with a letter or digit";
    static final String TIMEOUT_MESSAGE = "must be at least 1 second";
    static final String MAX_TURNS_MESSAGE = "must be from 1 to 1000";
    static final int MAX_TURNS = 1000;
    static final int METADATA_ENTRIES = 50;
    static final String METADATA_ENTRIES_MESSAGE = "must have at most 50 entries";
    static final String METADATA_KEY_BLANK_MESSAGE = "key must not be blank";
    static final int METADATA_KEY_CHARS = 100;
    static final String METADATA_KEY_MESSAGE = "key must be at most 100 characters";
    static final String METADATA_VALUE_NULL_MESSAGE = "value must be a string";
    static final int METADATA_VALUE_CHARS = 2000;
    static final String METADATA_VALUE_MESSAGE = "value must be at most 2000 characters";
    public static final String ON_DEPENDENCY_FAILURE = "What this task does when a dependency ends without success (failed, timed "
            + "out, cancelled, upstream-failed or skipped): fail (default) ends it UPSTREAM_FAILED, skip ends it SKIPPED, run "
            + "runs it anyway once every dependency has ended (a cleanup or report step). Any case.";
    public static final String CONCURRENCY_KEY = "Tasks sharing this key run one at a time, in priority order: 1 to 200 "
            + "printable characters.";

    static final String MAX_BUDGET_USD_MIN = "0";
    static final String MAX_BUDGET_USD_MAX = "10000";
    static final String MAX_BUDGET_USD_MESSAGE = "must be more than 0 and at most 10000 US dollars, with at most 4 decimal places";
    public static final String MAX_BUDGET_USD = "The most the session may spend on API calls, in US dollars (claude --max-budget-usd): more "
            + "than 0, at most 10000, up to 4 decimal places. No budget when absent.";
    static final int TOOL_PATTERNS = 100;
    static final String TOOL_PATTERNS_MESSAGE = "must list at most 100 tool patterns";
    static final int TOOL_PATTERN_CHARS = 500;
    static final String TOOL_PATTERN_BLANK_MESSAGE = "must not be blank";
    static final String TOOL_PATTERN_LENGTH_MESSAGE = "must be at most 500 characters";
    // No control character: NUL cannot be stored, and a newline or escape would garble the argv as logs show it.
    static final String TOOL_PATTERN_PATTERN = "[^\\p{Cc}]*";
    static final String TOOL_PATTERN_MESSAGE = "must not contain control characters (NUL, newline, tab, ...)";
    public static final String ALLOWED_TOOLS = "Tools the session may use without asking (claude --allowedTools), one pattern per "
            + "entry, e.g. Bash(git:*), Edit or mcp__github: at most 100 entries of up to 500 printable characters.";
    public static final String DISALLOWED_TOOLS = "Tools the session may not use (claude --disallowedTools), one pattern per entry, "
            + "e.g. Bash(rm:*) or WebFetch: at most 100 entries of up to 500 printable characters.";
    static final int APPEND_SYSTEM_PROMPT_CHARS = 20_000;
    static final String APPEND_SYSTEM_PROMPT_MESSAGE = "must be 1 to 20000 characters";
    public static final String APPEND_SYSTEM_PROMPT = "Text appended to the session's system prompt (claude --append-system-prompt): "
            + "1 to 20000 characters.";
    public static final String PERMISSION_MODE = "The session's permission mode (claude --permission-mode): default, acceptEdits, "
            + "plan, auto, dontAsk or bypassPermissions, in any case. The worker's configured mode "
            + "(taskq.worker.claude.permission-mode, by default bypassPermissions) when absent.";

    public static final String WORKING_DIR = "Absolute directory on the worker the session runs in: one of the allowed roots "
            + "(taskq.api.workspaces.allowed-roots) or below one, without '..' segments. Not together with repo.";
    public static final String REPO = "A git repository to work in, instead of a workingDir: the worker clones url (once per "
            + "worker) and checks ref out into a worktree of this task's own. https:// or ssh:// URLs or scp-like user@host:path.";
    public static final String REPO_URL = "The repository: https://host/path, ssh://[user@]host/path or user@host:path; no "
            + "credentials in the URL. At most 2000 characters.";
    public static final String REPO_REF = "The branch, tag or commit to check out, a valid git ref name of at most 255 "
            + "characters; the repository's default branch when absent.";

    public static final String KIND = "What the task runs: claude (default), a Claude Code session on prompt, or command, the "
            + "command below, done when its process exits (exit code 0 SUCCEEDED, any other FAILED with the code in the "
            + "result). A command task takes none of the session settings (model, maxTurns, maxBudgetUsd, allowedTools, "
            + "disallowedTools, appendSystemPrompt, permissionMode, agent); its prompt is optional, a description that "
            + "defaults to the command line. Any case.";
    public static final String COMMAND = "For kind command: the argv, an array of 1 to 1000 strings run without a shell "
            + "(e.g. [\"npm\", \"test\"]); its first element must be an executable the pool allows "
            + "(taskq.api.command-tasks.allowed-executables.<pool>). With shell true: one string, run by /bin/sh -c, only in "
            + "pools that allow a shell (taskq.api.command-tasks.shell-pools). Refused commands are 422 command-not-allowed.";
    public static final String SHELL = "For kind command: command is one string for /bin/sh -c instead of an argv. Default false.";
    public static final String AGENT = "For a claude task: the agent role it takes (GET /api/v1/agent-roles lists them, e.g. "
            + "reviewer); the role's system prompt addition, tools, model, max turns and budget apply where the task sets "
            + "none of its own (the role's system prompt addition comes first, the task's follows). An unknown role is 422.";
    static final int COMMAND_ELEMENTS = 1000;
    static final int COMMAND_CHARS = 32_000;

    public static final int ANSWER_CHARS = 32_000;
    static final String ANSWER_BLANK_MESSAGE = "is required: the answer to the task's question, not blank";
    static final String ANSWER_LENGTH_MESSAGE = "must be at most 32000 characters";
    public static final String ANSWER = "The answer to the question the task's session asked: 1 to 32000 characters, not blank. "
            + "The session resumes with it.";

    private TaskFieldRules() {}
}
