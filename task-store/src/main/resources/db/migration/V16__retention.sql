-- Retention: dependency-service deletes the logs of tasks finished longer ago than taskq.dependency.retention.task-logs,
-- and whole finished tasks (with their attempts, logs, questions and notify entries) after .tasks; see Retention.
-- notifier-service deletes settled deliveries after taskq.notifier.retention.deliveries; see DeliveryRetention.

-- When the task's log lines were deleted; its row, result and attempts stay until the task itself goes.
alter table tasks add column logs_deleted_at timestamptz;

-- Serves the log sweep: finished tasks whose lines are still kept, oldest first.
create index tasks_logs_kept_idx on tasks (finished_at) where finished_at is not null and logs_deleted_at is null;
-- Serves the task sweep: finished tasks, oldest first.
create index tasks_finished_idx on tasks (finished_at) where finished_at is not null;
-- Serves the workflow sweep: finished workflows, oldest first.
create index workflows_finished_idx on workflows (finished_at) where finished_at is not null;
-- Serves notifier-service's sweep (taskq.notifier.retention.deliveries): settled deliveries, least recently changed first.
create index notification_deliveries_settled_idx on notification_deliveries (updated_at) where status <> 'PENDING';

-- Lineage and schedule history point at tasks and workflows that retention may delete: the pointer is cleared and the
-- row that holds it stays. A dependency edge (task_dependencies.depends_on) and a schedule's last task or workflow keep
-- their plain references: retention never deletes a task something still depends on, nor a schedule's latest run.
alter table tasks
    drop constraint tasks_continue_from_fkey,
    add constraint tasks_continue_from_fkey foreign key (continue_from) references tasks (id) on delete set null,
    drop constraint tasks_retry_of_fkey,
    add constraint tasks_retry_of_fkey foreign key (retry_of) references tasks (id) on delete set null,
    drop constraint tasks_parent_task_id_fkey,
    add constraint tasks_parent_task_id_fkey foreign key (parent_task_id) references tasks (id) on delete set null;

alter table schedule_runs
    drop constraint schedule_runs_task_id_fkey,
    add constraint schedule_runs_task_id_fkey foreign key (task_id) references tasks (id) on delete set null,
    drop constraint schedule_runs_workflow_id_fkey,
    add constraint schedule_runs_workflow_id_fkey foreign key (workflow_id) references workflows (id) on delete set null;
