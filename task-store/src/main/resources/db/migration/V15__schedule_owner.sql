-- Who created a schedule: the key's id and name as they were, like tasks.submitted_by_key_id / submitted_by. A submitter
-- may pause, resume and cancel only its own schedules, and the tasks a schedule fires are submitted in its name (so
-- its creator may cancel them and they count toward the key's unfinished-task quota). Null for schedules created
-- before V15 or through a bootstrap token: those belong to admins.
alter table schedules
    add column created_by_key_id uuid,
    add column created_by        varchar(100);
