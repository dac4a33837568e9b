-- Task kinds and agent roles (issue 10).

-- A task runs a Claude session (CLAUDE, every task before this migration) or a plain command (COMMAND).
alter table tasks
    add column kind    varchar(20) not null default 'CLAUDE',
    -- A command task's argv, run without a shell; with shell, one element: the line /bin/sh -c runs. Null for CLAUDE.
    add column command jsonb,
    add column shell   boolean     not null default false,
    -- The agent role whose settings the dispatch merges in at release (agent_roles.name); null for none. Not a foreign
    -- key: a role may be rewritten while tasks wait, and a finished task keeps the name it ran under.
    add column agent   varchar(64);

-- Serves the refusal to delete a role that unfinished tasks still name
-- (select ... from tasks where agent = ? and status not in (the terminal ones)).
create index tasks_unfinished_agent_idx on tasks (agent)
    where agent is not null and status in ('WAITING', 'QUEUED', 'DISPATCHED', 'RUNNING', 'WAITING_FOR_INPUT');

-- Named agent roles a claude task can take (agent: reviewer): each setting is merged into the task's dispatch when it
-- is released, the task's own settings winning. Managed by admins through /api/v1/agent-roles.
create table agent_roles (
    name                 varchar(64) primary key,
    description          text        not null,
    append_system_prompt text,                                -- --append-system-prompt (the task's own text follows)
    allowed_tools        jsonb       not null default '[]'::jsonb, -- --allowedTools, one pattern per element
    disallowed_tools     jsonb       not null default '[]'::jsonb, -- --disallowedTools
    model                varchar(100),                        -- --model
    max_turns            integer,                             -- --max-turns
    max_budget_usd       numeric(12, 4),                      -- --max-budget-usd
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);

-- The six default roles, exactly as common's DefaultAgentRoles (DefaultAgentRolesMigrationIT compares them).
insert into agent_roles (name, description, append_system_prompt, allowed_tools, disallowed_tools, model, max_turns,
                         max_budget_usd)
values
    ('researcher',
     'Investigates a question in the code, its documentation and the web, and reports what it found; changes nothing.',
     'You are a researcher. Investigate the question you are given: read the code and its documentation, search the web where it helps, and report your findings with their sources. Do not change any file.',
     '["Read", "Glob", "Grep", "WebFetch", "WebSearch"]'::jsonb, '["Edit", "Write", "NotebookEdit"]'::jsonb, 'sonnet', 50, 2.00),
    ('coder',
     'Implements a change: edits the code, builds it and runs its tests until they pass.',
     'You are a coder. Implement the change you are asked for in small, working steps: edit the code, build it, and run the relevant tests until they pass. Keep to the project''s style.',
     '["Read", "Glob", "Grep", "Edit", "Write", "Bash"]'::jsonb, '[]'::jsonb, 'sonnet', 100, 5.00),
    ('reviewer',
     'Reviews a change or the output of earlier steps and reports problems; edits nothing.',
     'You are a reviewer. Read the change (git diff, git log) or the earlier steps'' output you are given and report bugs, risks and missing tests, most important first, each with the file and line. Do not edit files.',
     '["Read", "Glob", "Grep", "Bash(git diff:*)", "Bash(git log:*)", "Bash(git show:*)"]'::jsonb, '["Edit", "Write", "NotebookEdit"]'::jsonb, 'opus', 40, 2.00),
    ('tester',
     'Runs the tests, writes missing ones, and reports what fails and why.',
     'You are a tester. Run the project''s tests, add tests for behaviour that has none, and report each failure with its cause. Fix tests, not the code under test, unless you are asked to.',
     '["Read", "Glob", "Grep", "Edit", "Write", "Bash"]'::jsonb, '[]'::jsonb, 'sonnet', 80, 3.00),
    ('documenter',
     'Writes and updates documentation (READMEs, guides, comments) to match the code.',
     'You are a documenter. Write or update the documentation so that it says what the code does now: READMEs, guides, and comments that explain why. Do not change behaviour.',
     '["Read", "Glob", "Grep", "Edit", "Write"]'::jsonb, '["Bash"]'::jsonb, 'haiku', 60, 1.00),
    ('orchestrator',
     'Plans a larger piece of work and delegates its steps to other taskq tasks; does not edit code itself.',
     'You are an orchestrator. Break the work into steps, delegate each step to a taskq task with the right agent role (mcp__taskq__DelegateTask, SubmitWorkflow), follow them and report the outcome. Do not edit files yourself.',
     '["Read", "Glob", "Grep", "mcp__taskq"]'::jsonb, '["Edit", "Write", "NotebookEdit"]'::jsonb, 'opus', 60, 3.00);
