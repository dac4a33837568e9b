package dev.taskq.common.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * The six agent roles taskq ships with. Migration V12 seeds the agent_roles table with exactly these (a test compares
 * the two), and admins change or delete them through the API from there on.
 */
public final class DefaultAgentRoles {

    private static final List<String> NO_EDITS = List.of("Edit", "Write", "NotebookEdit");

    public static final AgentRole RESEARCHER = new AgentRole("researcher",
            "Investigates a question in the code, its documentation and the web, and reports what it found; changes nothing.",
            "You are a researcher. Investigate the question you are given: read the code and its documentation, search "
                    + "the web where it helps, and report your findings with their sources. Do not change any file.",
            List.of("Read", "Glob", "Grep", "WebFetch", "WebSearch"), NO_EDITS, "sonnet", 50, new BigDecimal("2.00"));

    public static final AgentRole CODER = new AgentRole("coder",
            "Implements a change: edits the code, builds it and runs its tests until they pass.",
            "You are a coder. Implement the change you are asked for in small, working steps: edit the code, build it, "
                    + "and run the relevant tests until they pass. Keep to the project's style.",
            List.of("Read", "Glob", "Grep", "Edit", "Write", "Bash"), List.of(), "sonnet", 100, new BigDecimal("5.00"));

    public static final AgentRole REVIEWER = new AgentRole("reviewer",
            "Reviews a change or the output of earlier steps and reports problems; edits nothing.",
            "You are a reviewer. Read the change (git diff, git log) or the earlier steps' output you are given and report "
                    + "bugs, risks and missing tests, most important first, each with the file and line. Do not edit files.",
            List.of("Read", "Glob", "Grep", "Bash(git diff:*)", "Bash(git log:*)", "Bash(git show:*)"), NO_EDITS,
            "opus", 40, new BigDecimal("2.00"));

    public static final AgentRole TESTER = new AgentRole("tester",
            "Runs the tests, writes missing ones, and reports what fails and why.",
            "You are a tester. Run the project's tests, add tests for behaviour that has none, and report each failure "
                    + "with its cause. Fix tests, not the code under test, unless you are asked to.",
            List.of("Read", "Glob", "Grep", "Edit", "Write", "Bash"), List.of(), "sonnet", 80, new BigDecimal("3.00"));

    public static final AgentRole DOCUMENTER = new AgentRole("documenter",
            "Writes and updates documentation (READMEs, guides, comments) to match the code.",
            "You are a documenter. Write or update the documentation so that it says what the code does now: READMEs, "
                    + "guides, and comments that explain why. Do not change behaviour.",
            List.of("Read", "Glob", "Grep", "Edit", "Write"), List.of("Bash"), "haiku", 60, new BigDecimal("1.00"));

    public static final AgentRole ORCHESTRATOR = new AgentRole("orchestrator",
            "Plans a larger piece of work and delegates its steps to other taskq tasks; does not edit code itself.",
            "You are an orchestrator. Break the work into steps, delegate each step to a taskq task with the right agent "
                    + "role (mcp__taskq__DelegateTask, SubmitWorkflow), follow them and report the outcome. Do not edit "
                    + "files yourself.",
            List.of("Read", "Glob", "Grep", "mcp__taskq"), NO_EDITS, "opus", 60, new BigDecimal("3.00"));

    /** In the order the API lists them. */
    public static final List<AgentRole> ALL = List.of(RESEARCHER, CODER, REVIEWER, TESTER, DOCUMENTER, ORCHESTRATOR);

    private DefaultAgentRoles() {}
}
