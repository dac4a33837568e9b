-- Which Claude Code session submitted a task or workflow (issue 10's main-session kit): the session id a client names
-- in X-Claude-Session-Id, or the one the kit's hook bound to the MCP connection a tool was called on. Null when the
-- submitter named none (a plain REST call, a schedule firing). Free text up to 200 characters: Claude Code's ids are
-- UUIDs, other clients may use their own.
alter table tasks add column submitted_by_session varchar(200);
alter table workflows add column submitted_by_session varchar(200);

-- Serves GET /api/v1/tasks?submittedBySession=S (newest first, keyset on created_at, id) and the hooks' "tasks this
-- session delegated" (the Stop hook's unfinished ones, the SessionStart hook's own ones).
create index tasks_submitted_by_session_idx on tasks (submitted_by_session, created_at desc, id desc)
    where submitted_by_session is not null;
-- Serves the SessionStart hook's "tasks any Claude session delegated that ended or began waiting lately"
-- (updated_at >= now - window, newest first).
create index tasks_delegated_updated_idx on tasks (updated_at desc) where submitted_by_session is not null;
