-- A workflow's tasks keep the order the client listed them in (GET /api/v1/workflows/{id} answers in it);
-- tasks added later (manual retries) come after. Refs of retried tasks get a "#n" suffix, hence the extra room.
alter table tasks add column workflow_position integer;
alter table tasks alter column workflow_ref type varchar(110);
