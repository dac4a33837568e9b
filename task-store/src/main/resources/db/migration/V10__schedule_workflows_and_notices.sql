-- Schedules whose runs create a whole workflow, runs that failed to fire and the notice of runs that ended badly,
-- and the scheduler's record of when it ran (downtime is a gap in it, not a late run).

-- A schedule creates either one task (task_template) or one workflow (workflow_template) per run.
alter table schedules alter column task_template drop not null;
alter table schedules add column workflow_template jsonb;
alter table schedules add constraint schedules_one_template check ((task_template is null) <> (workflow_template is null));
-- The workflow of the latest run that created one: the overlap policy looks at it, as at last_task_id.
alter table schedules add column last_workflow_id uuid references workflows (id);

-- The workflow a FIRED run created (task_id is null then).
alter table schedule_runs add column workflow_id uuid references workflows (id);
-- Why a FIRE_FAILED run created nothing (the error creating its task or workflow).
alter table schedule_runs add column reason text;
-- When the scheduler saw the run's task or workflow end (and announced SCHEDULE_RUN_FAILED if it did not succeed);
-- null while it has not ended. Once set, the run is never announced again.
alter table schedule_runs add column settled_at timestamptz;
-- Runs of earlier releases whose task already ended are settled without a notice: they ended before notices existed.
update schedule_runs r set settled_at = now()
from tasks t
where t.id = r.task_id and t.status in ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'UPSTREAM_FAILED', 'SKIPPED');
-- Serves the scheduler's sweep for runs whose task or workflow ended: FIRED runs not settled yet, oldest first.
create index schedule_runs_unsettled_idx on schedule_runs (id) where outcome = 'FIRED' and settled_at is null;

-- When a scheduler pass last started, whichever replica ran it. One row.
create table scheduler_liveness (
    id           smallint    primary key check (id = 1),
    last_pass_at timestamptz not null
);

-- Periods during which no scheduler ran: recorded by the first pass after a gap longer than the misfire threshold.
-- A fire time inside one is missed (its schedule's missed-run policy applies); any other late fire time is backlog
-- and fires. Read whole by each pass (a handful of rows; old ones are pruned), so no index beyond the key.
create table scheduler_downtimes (
    id         bigserial   primary key,
    down_from  timestamptz not null,
    down_until timestamptz not null
);
