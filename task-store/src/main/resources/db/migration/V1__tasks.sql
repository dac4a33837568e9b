-- The task queue: tasks, their dependency edges, one row per attempt, output lines, and the outbox.

create table tasks (
    id                 uuid primary key,
    prompt             text         not null,
    priority           smallint     not null check (priority between 1 and 10),
    status             varchar(20)  not null,
    status_reason      text,
    pool               varchar(100) not null,
    working_dir        text,
    timeout_seconds    integer      not null check (timeout_seconds > 0),
    max_turns          integer check (max_turns > 0),
    model              varchar(100),
    metadata           jsonb        not null default '{}'::jsonb,
    max_attempts       integer      not null default 3 check (max_attempts > 0),
    -- Dependencies that have not succeeded yet; the task is QUEUED when this reaches 0.
    unmet_dependencies integer      not null default 0 check (unmet_dependencies >= 0),
    -- The attempt whose events count; events of any other attempt are ignored (fencing).
    current_attempt    integer      not null default 0,
    session_id         uuid,
    result_subtype     varchar(50),
    result_is_error    boolean,
    result_text        text,
    num_turns          integer,
    total_cost_usd     numeric(14, 6),
    usage              jsonb,
    exit_code          integer,
    created_at         timestamptz  not null,
    ready_at           timestamptz,
    dispatched_at      timestamptz,
    started_at         timestamptz,
    finished_at        timestamptz,
    updated_at         timestamptz  not null
);

-- Serves the release claim: QUEUED tasks, highest priority first, oldest first (FOR UPDATE SKIP LOCKED).
create index tasks_release_order_idx on tasks (priority desc, ready_at, id) where status = 'QUEUED';
-- Serves GET /api/v1/tasks?status=X, newest first.
create index tasks_status_created_idx on tasks (status, created_at desc, id desc);
-- Serves GET /api/v1/tasks without a filter, newest first.
create index tasks_created_idx on tasks (created_at desc, id desc);

create table task_dependencies (
    task_id    uuid not null references tasks (id) on delete cascade,
    depends_on uuid not null references tasks (id),
    primary key (task_id, depends_on),
    check (task_id <> depends_on)
);
-- Serves "which tasks wait on this one" when a task finishes.
create index task_dependencies_depends_on_idx on task_dependencies (depends_on);

create table task_attempts (
    task_id          uuid        not null references tasks (id) on delete cascade,
    attempt          integer     not null check (attempt > 0),
    status           varchar(20) not null,
    session_id       uuid        not null,
    worker_id        varchar(200),
    host             varchar(255),
    pid              bigint,
    reason           text,
    exit_code        integer,
    dispatched_at    timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    -- Renewed by the worker's heartbeats; an unfinished attempt past it has lost its worker.
    lease_expires_at timestamptz,
    primary key (task_id, attempt)
);
-- Serves the lease check: unfinished attempts whose lease ran out.
create index task_attempts_open_lease_idx on task_attempts (lease_expires_at) where finished_at is null;
-- Serves the heartbeat's lease renewal: unfinished attempts of one worker.
create index task_attempts_open_worker_idx on task_attempts (worker_id) where finished_at is null;

create table task_logs (
    id          bigserial primary key,
    task_id     uuid        not null references tasks (id) on delete cascade,
    attempt     integer     not null,
    line_number bigint      not null,
    logged_at   timestamptz not null,
    kind        varchar(20) not null,
    text        text        not null,
    -- A redelivered log batch inserts nothing twice.
    unique (task_id, attempt, line_number)
);
-- Serves GET /api/v1/tasks/{id}/logs?after=<id>: one task's lines in order, from a cursor.
create index task_logs_task_cursor_idx on task_logs (task_id, id);

create table workers (
    worker_id    varchar(200) primary key,
    host         varchar(255),
    slots        integer      not null,
    busy_slots   integer      not null,
    pools        text[]       not null,
    last_seen_at timestamptz  not null
);

-- Records to publish to Kafka, written in the same transaction as the state they announce.
create table outbox (
    id         bigserial primary key,
    topic      varchar(255) not null,
    record_key varchar(255),
    payload    text         not null,
    created_at timestamptz  not null default now()
);
