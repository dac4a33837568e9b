-- Per-task control of the Claude session (issue 4): each column is passed to the worker's CLI as the flag named,
-- and an unset one leaves the flag out (permission_mode: the worker's configured mode applies).
alter table tasks
    add column max_budget_usd       numeric(12, 4),                   -- --max-budget-usd
    add column allowed_tools        jsonb not null default '[]'::jsonb, -- --allowedTools, one pattern per element
    add column disallowed_tools     jsonb not null default '[]'::jsonb, -- --disallowedTools
    add column append_system_prompt text,                             -- --append-system-prompt
    add column permission_mode      varchar(40);                      -- --permission-mode
