-- Notifications: where they go (destinations), who hears what (subscriptions, per-task notify entries),
-- and one row per (event, destination) delivery with one row per attempt.

-- A named Discord / Telegram / webhook target. config holds its secrets (webhook URLs, bot tokens, signing
-- secrets): the API accepts them but never returns them.
create table notification_destinations (
    id              uuid primary key,
    name            varchar(100) not null unique,
    type            varchar(20)  not null check (type in ('DISCORD', 'TELEGRAM', 'WEBHOOK')),
    config          jsonb        not null,
    enabled         boolean      not null default true,
    -- Why the notifier disabled it, e.g. "Discord answered 404: the webhook was deleted".
    disabled_reason text,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);

-- Global routing: events of every task that pass the filters go to the destination.
create table notification_subscriptions (
    id             uuid primary key,
    destination_id uuid         not null references notification_destinations (id) on delete cascade,
    -- JSON array of NotificationEventType names; empty means the default set (every ending, not the start).
    event_types    jsonb        not null default '[]'::jsonb,
    pool           varchar(100),
    label_key      varchar(100),
    label_value    varchar(2000),
    min_priority   smallint check (min_priority between 1 and 10),
    created_at     timestamptz  not null
);
-- Serves deleting a destination (the cascade) and listing a destination's subscriptions.
create index notification_subscriptions_destination_idx on notification_subscriptions (destination_id);

-- Per-task routing, from the submission's notify list: a named destination or an inline one (type + config).
create table task_notifications (
    task_id         uuid        not null references tasks (id) on delete cascade,
    position        integer     not null,
    destination_id  uuid references notification_destinations (id) on delete set null,
    type            varchar(20) check (type in ('DISCORD', 'TELEGRAM', 'WEBHOOK')),
    config          jsonb,
    -- JSON array of NotificationEventType names; empty means the default set.
    event_types     jsonb       not null default '[]'::jsonb,
    enabled         boolean     not null default true,
    disabled_reason text,
    primary key (task_id, position),
    -- Named or inline, never both; both are null once a named destination was deleted.
    check (destination_id is null or type is null)
);

create table notification_deliveries (
    id                 uuid primary key,
    event_id           uuid        not null,
    task_id            uuid        not null,
    event_type         varchar(30) not null,
    -- 'dest:<destination id>' or 'task:<task id>:<position>': one delivery per event and destination, so a
    -- redelivered Kafka record inserts nothing twice; also the unit of per-destination concurrency.
    destination_key    varchar(120) not null,
    destination_id     uuid references notification_destinations (id) on delete set null,
    task_position      integer,
    channel            varchar(20) not null,
    -- PENDING (due at next_attempt_at), DELIVERED, FAILED (rejected for good), DEAD (retries exhausted),
    -- DISABLED (the destination was disabled).
    status             varchar(20) not null,
    -- The event as it arrived (status, reason, cost, at), so a retry sends the same facts.
    event              jsonb       not null,
    attempt_count      integer     not null default 0,
    -- Attempts since creation or the last redeliver; drives the backoff schedule.
    retry_count        integer     not null default 0,
    next_attempt_at    timestamptz,
    last_response_code integer,
    last_error         text,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    delivered_at       timestamptz,
    unique (event_id, destination_key)
);
-- Serves the delivery loop's claim: due PENDING rows, oldest due first (FOR UPDATE SKIP LOCKED), and the pending gauge.
create index notification_deliveries_due_idx on notification_deliveries (next_attempt_at) where status = 'PENDING';
-- Serves GET /api/v1/notification-deliveries?taskId=..., newest first.
create index notification_deliveries_task_idx on notification_deliveries (task_id, created_at desc);
-- Serves GET /api/v1/notification-deliveries?status=... without a task, newest first.
create index notification_deliveries_status_idx on notification_deliveries (status, created_at desc);

-- One row per send attempt: what the receiver answered and how long it took.
create table notification_attempts (
    delivery_id   uuid        not null references notification_deliveries (id) on delete cascade,
    attempt       integer     not null check (attempt > 0),
    outcome       varchar(20) not null,
    response_code integer,
    error         text,
    duration_ms   bigint      not null,
    attempted_at  timestamptz not null,
    primary key (delivery_id, attempt)
);
