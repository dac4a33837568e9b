-- Ask a human, and repository workspaces (issue 4).

-- A task either names a working_dir or a repository the worker checks out into a per-task git worktree.
alter table tasks
    add column repo_url      text,
    add column repo_ref      varchar(255),
    -- The task whose worktree this one uses: null for its own; a resume shares its parent's (the CLI keys the
    -- session transcript by directory).
    add column workspace_id  uuid,
    -- What the next attempt's session is told when it resumes resume_session_id: the framed answer to the question
    -- the session asked. Null means the task's own prompt.
    add column resume_prompt text;

-- Every question a session asked, one per attempt at most, and its answer once given.
create table task_questions (
    task_id     uuid        not null references tasks (id) on delete cascade,
    attempt     integer     not null,
    question    text        not null,
    asked_at    timestamptz not null,
    answer      text,
    answered_at timestamptz,
    primary key (task_id, attempt)
);
