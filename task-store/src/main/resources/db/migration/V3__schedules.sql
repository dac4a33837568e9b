-- Schedules (cron or one-time) that create tasks, and one row per fire time of each.

create table schedules (
    id                uuid primary key,
    name              varchar(200) not null,
    -- ACTIVE, PAUSED, COMPLETED (no fire time left), CANCELLED.
    status            varchar(20)  not null,
    -- Exactly one of cron (5 fields or a macro, evaluated in timezone) and run_at (one-time).
    cron              varchar(200),
    timezone          varchar(64)  not null,
    run_at            timestamptz,
    -- The task each run creates, validated like a submission when the schedule was created (defaults filled in).
    task_template     jsonb        not null,
    missed_run_policy varchar(20)  not null,
    max_catchup       integer      not null check (max_catchup > 0),
    overlap_policy    varchar(20)  not null,
    start_at          timestamptz,
    end_at            timestamptz,
    max_runs          integer check (max_runs > 0),
    -- Runs that created a task; the schedule is COMPLETED when this reaches max_runs.
    runs_fired        integer      not null default 0,
    -- The fire time the scheduler waits for; null once the schedule has none left.
    next_fire_at      timestamptz,
    -- The task of the latest run that created one: the overlap policy looks at it.
    last_task_id      uuid references tasks (id),
    -- A pipeline step: its task depends on the task of after_schedule_id (the previous step), created when that fired.
    pipeline_id       uuid,
    pipeline_step     integer check (pipeline_step > 0),
    after_schedule_id uuid references schedules (id),
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    check ((cron is null) <> (run_at is null)),
    check (end_at is null or start_at is null or end_at >= start_at)
);
-- Serves the scheduler's claim: ACTIVE schedules whose next_fire_at <= now, most overdue first (FOR UPDATE SKIP LOCKED).
create index schedules_due_idx on schedules (next_fire_at) where status = 'ACTIVE';
-- Serves GET /api/v1/pipelines/{id}: a pipeline's steps in order.
create index schedules_pipeline_idx on schedules (pipeline_id, pipeline_step) where pipeline_id is not null;
-- Serves GET /api/v1/schedules, newest first.
create index schedules_created_idx on schedules (created_at desc, id desc);

create table schedule_runs (
    id          bigserial primary key,
    schedule_id uuid        not null references schedules (id) on delete cascade,
    -- The instant the schedule was due (the cron match or run_at), not when it fired.
    fire_time   timestamptz not null,
    fired_at    timestamptz not null,
    -- FIRED (task_id set), SKIPPED_OVERLAP or MISSED (no task).
    outcome     varchar(20) not null,
    task_id     uuid references tasks (id),
    -- A fire time fires once however many schedulers run: a second replica's insert does nothing.
    unique (schedule_id, fire_time)
);
-- The unique constraint's index (schedule_id, fire_time) also serves GET /api/v1/schedules/{id}/runs, latest first.
