-- Notifications about workflows and schedules (issue 6): a workflow's own notify list, and deliveries whose subject
-- is a workflow or a schedule rather than a task.

-- Per-workflow routing, from POST /api/v1/workflows' top-level notify list: the same shapes as task_notifications
-- (a named destination, or an inline type + config holding secrets). Heard by WORKFLOW_FINISHED only.
create table workflow_notifications (
    workflow_id     uuid        not null references workflows (id) on delete cascade,
    position        integer     not null,
    destination_id  uuid references notification_destinations (id) on delete set null,
    type            varchar(20) check (type in ('DISCORD', 'TELEGRAM', 'WEBHOOK')),
    config          jsonb,
    -- JSON array of NotificationEventType names; empty means WORKFLOW_FINISHED.
    event_types     jsonb       not null default '[]'::jsonb,
    enabled         boolean     not null default true,
    disabled_reason text,
    primary key (workflow_id, position),
    -- Named or inline, never both; both are null once a named destination was deleted.
    check (destination_id is null or type is null)
);

-- A delivery is about a task (task_id), a workflow (workflow_id) or a schedule (schedule_id, with task_id or
-- workflow_id set when the failed run created one). task_position is the inline entry's position in the notify list
-- of whichever owns it: the task, the workflow, or the schedule's task template (see destination_key).
alter table notification_deliveries
    alter column task_id drop not null,
    add column workflow_id uuid,
    add column schedule_id uuid,
    add constraint notification_deliveries_subject_check check (task_id is not null or workflow_id is not null or schedule_id is not null);
-- Serves GET /api/v1/notification-deliveries?workflowId=..., newest first.
create index notification_deliveries_workflow_idx on notification_deliveries (workflow_id, created_at desc) where workflow_id is not null;
-- Serves GET /api/v1/notification-deliveries?scheduleId=..., newest first.
create index notification_deliveries_schedule_idx on notification_deliveries (schedule_id, created_at desc) where schedule_id is not null;
