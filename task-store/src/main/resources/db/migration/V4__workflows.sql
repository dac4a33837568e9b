-- Workflows (whole DAGs), per-task failure policy, retries with backoff, continuation and resume lineage,
-- priority aging, concurrency keys, and idempotent submission.

create table workflows (
    id               uuid primary key,
    name             varchar(200),
    -- RUNNING until every task ended; then SUCCEEDED, FAILED or CANCELLED (see WorkflowStatus).
    status           varchar(20)  not null,
    -- Tasks of the workflow that have not ended; the workflow finishes when this reaches 0.
    unfinished_tasks integer      not null check (unfinished_tasks >= 0),
    metadata         jsonb        not null default '{}'::jsonb,
    created_at       timestamptz  not null,
    finished_at      timestamptz,
    updated_at       timestamptz  not null
);
create index workflows_created_idx on workflows (created_at desc, id desc);

alter table tasks
    add column workflow_id               uuid references workflows (id),
    -- The task's name inside its workflow (the "ref" other nodes use in dependsOn).
    add column workflow_ref              varchar(100),
    -- FAIL | SKIP | RUN: what this task does when a dependency ends without success (DependencyFailurePolicy).
    add column on_dependency_failure     varchar(10)  not null default 'FAIL',
    -- The task whose result, output tail, errors and git state enrich this task's prompt at release.
    add column continue_from             uuid references tasks (id),
    -- Automatic retries (RetryPolicy): first backoff, cap, and whether a timeout is retried.
    add column retry_backoff_ms          bigint       not null default 10000 check (retry_backoff_ms >= 0),
    add column retry_max_backoff_ms      bigint       not null default 600000 check (retry_max_backoff_ms >= 0),
    add column retry_on_timeout          boolean      not null default false,
    -- A QUEUED task is not released before this instant (the backoff of a retry).
    add column run_after                 timestamptz,
    -- The priority release orders by: the submitted priority, raised by waiting (aging), at most 10.
    add column effective_priority        smallint,
    -- Tasks sharing a key run one at a time, in priority order.
    add column concurrency_key           varchar(200),
    -- Lineage: the failed task a manual retry repeats; the task a resume continues.
    add column retry_of                  uuid references tasks (id),
    add column parent_task_id            uuid references tasks (id),
    -- A resume runs `claude --resume <resume_session_id>`, preferably on the worker that holds the transcript.
    add column resume_session_id         uuid,
    add column resume_worker_id          varchar(200),
    -- The working directory's git state when the last attempt ended (Checkpoint), if the worker read one.
    add column checkpoint                jsonb,
    -- Why the last attempt failed, as far as retrying goes (FailureCause).
    add column failure_cause             varchar(30);

update tasks set effective_priority = priority;
alter table tasks alter column effective_priority set not null;
alter table tasks add constraint tasks_effective_priority_check check (effective_priority between 1 and 10);
alter table tasks add constraint tasks_on_dependency_failure_check check (on_dependency_failure in ('FAIL', 'SKIP', 'RUN'));
alter table tasks add constraint tasks_workflow_ref_unique unique (workflow_id, workflow_ref);

-- The release claim: a pool's QUEUED tasks, most urgent (aged) first, then oldest.
drop index tasks_release_order_idx;
create index tasks_release_order_idx on tasks (pool, effective_priority desc, ready_at, id) where status = 'QUEUED';
-- "Is a task with this key in flight?": the claim skips keys that are.
create index tasks_concurrency_in_flight_idx on tasks (concurrency_key)
    where concurrency_key is not null and status in ('DISPATCHED', 'RUNNING');
-- GET /api/v1/workflows/{id}: the workflow's nodes.
create index tasks_workflow_idx on tasks (workflow_id) where workflow_id is not null;
-- A failed task is retried by hand at most once (retry the retry to go again): concurrent retries cannot fork it.
create unique index tasks_retry_of_unique on tasks (retry_of) where retry_of is not null;
-- Free slots per pool: tasks holding a slot.
create index tasks_in_flight_pool_idx on tasks (pool) where status in ('DISPATCHED', 'RUNNING');

alter table task_attempts
    add column failure_cause varchar(30),
    add column checkpoint    jsonb;

-- Idempotency-Key on POST /api/v1/tasks and /api/v1/workflows: the same key and body give back the same
-- resource; the same key with another body is a conflict. Keys are scoped by caller and by endpoint.
create table idempotency_keys (
    principal        varchar(200) not null,
    scope            varchar(20)  not null,
    idempotency_key  varchar(255) not null,
    -- SHA-256 (hex) of the request body as parsed, so formatting differences do not count as another body.
    request_hash     varchar(64)  not null,
    resource_id      uuid         not null,
    created_at       timestamptz  not null,
    primary key (principal, scope, idempotency_key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
