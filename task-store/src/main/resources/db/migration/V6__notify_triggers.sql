-- Wake-ups for dependency-service (PgNotificationListener LISTENs on both channels), raised by the database itself
-- instead of a `select pg_notify(...)` round trip from every writer: one per state change cost the event consumer a
-- third of its time. Notifications are delivered when the transaction commits and deduplicated within it, exactly
-- as the explicit calls were.

-- taskq_ready: the release loop has work when a task becomes QUEUED (created ready, its last dependency ended, or put
-- back for a retry) or when a dispatched or running task leaves that state (a worker slot came free).
create function taskq_notify_ready() returns trigger language plpgsql as $$
begin
    perform pg_notify('taskq_ready', '');
    return null;
end
$$;

create trigger tasks_notify_ready_on_insert
    after insert on tasks
    for each row when (new.status = 'QUEUED')
    execute function taskq_notify_ready();

-- Hibernate writes every column on update, so the condition compares old and new rather than trusting UPDATE OF.
create trigger tasks_notify_ready_on_update
    after update of status on tasks
    for each row when (new.status is distinct from old.status
                       and (new.status = 'QUEUED' or (old.status in ('DISPATCHED', 'RUNNING')
                                                      and new.status not in ('DISPATCHED', 'RUNNING'))))
    execute function taskq_notify_ready();

-- taskq_outbox: the outbox relay has records to publish.
create function taskq_notify_outbox() returns trigger language plpgsql as $$
begin
    perform pg_notify('taskq_outbox', '');
    return null;
end
$$;

create trigger outbox_notify
    after insert on outbox
    for each statement
    execute function taskq_notify_outbox();
