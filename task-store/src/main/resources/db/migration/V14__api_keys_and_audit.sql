-- API keys, roles, who submitted a task, and the audit log (issue 9).

-- A key is shown once, at creation; only its HMAC-SHA256 (under the gateway's pepper) is kept.
create table api_keys (
    id                  uuid         primary key,
    name                varchar(100) not null,
    -- The first characters of the secret (tq_ and 8 more), so a person can tell keys apart in a list.
    prefix              varchar(16)  not null,
    key_hash            bytea        not null,
    role                varchar(16)  not null,
    -- Pools a submitter may submit into; empty means every pool.
    pools               text[]       not null default '{}',
    -- Per-key overrides of the configured limits; null means the configured default.
    requests_per_second double precision,
    max_running_tasks   integer,
    daily_budget_usd    numeric(14, 6),
    -- The key that created this one; null when a bootstrap token (taskq.api.tokens) did.
    created_by          uuid,
    created_at          timestamptz  not null,
    expires_at          timestamptz,
    revoked_at          timestamptz,
    last_used_at        timestamptz,
    constraint api_keys_role_check check (role in ('admin', 'submitter', 'viewer', 'worker'))
);
-- Authentication: the key a presented secret hashes to.
create unique index api_keys_hash_idx on api_keys (key_hash);
-- GET /api/v1/api-keys: newest first, a page at a time.
create index api_keys_created_idx on api_keys (created_at desc, id desc);

-- Who submitted a task: the key's id and name as they were (a key may be renamed or deleted later). Null for tasks
-- submitted before V14, through a bootstrap token (submitted_by is then 'bootstrap'), or created by a schedule.
alter table tasks
    add column submitted_by_key_id uuid,
    add column submitted_by        varchar(100);
-- The per-key quotas: a key's tasks holding a slot, and its tasks of today (their cost).
create index tasks_submitted_by_idx on tasks (submitted_by_key_id, created_at) where submitted_by_key_id is not null;

-- One row per change a caller made (or was refused): submit, cancel, answer, retry, resume, key and notification changes.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz  not null,
    -- The acting key; null for a bootstrap token.
    key_id      uuid,
    actor       varchar(100) not null,
    action      varchar(40)  not null,
    target_type varchar(40),
    target_id   varchar(100),
    outcome     varchar(16)  not null,
    detail      text,
    constraint audit_log_outcome_check check (outcome in ('succeeded', 'denied'))
);
-- GET /api/v1/audit: newest first (keyset on id), optionally one key's or one action's rows.
create index audit_log_key_idx on audit_log (key_id, id desc);
create index audit_log_action_idx on audit_log (action, id desc);
-- GET /api/v1/audit?targetId=: a task's (or key's) history.
create index audit_log_target_idx on audit_log (target_id, id desc) where target_id is not null;
