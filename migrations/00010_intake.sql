-- Client requests: the paid-order kind, the page where a problem shows, and
-- a mark on every card a client user filed, with the triage inbox's index.

-- +goose Up
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('task', 'bug', 'question', 'change', 'order'));
ALTER TABLE tasks
    ADD COLUMN page_url TEXT NOT NULL DEFAULT '',
    ADD COLUMN request  BOOLEAN NOT NULL DEFAULT false;
UPDATE tasks SET request = true FROM users WHERE users.id = tasks.reporter_id AND users.role = 'client';
-- The inbox: requests nobody picked up, most pressing first, then first in,
-- first out. The expression is the one the store orders by.
CREATE INDEX tasks_triage_idx ON tasks ((CASE priority WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END), created_at, id)
    WHERE request AND status = 'set' AND assignee_id IS NULL AND archived_at IS NULL;
-- Who waits for whom reads the open cards of the reader's projects, and
-- each card's first and latest public comments by side.
CREATE INDEX tasks_open_idx ON tasks (project_id, status_changed_at) WHERE status <> 'done' AND archived_at IS NULL;
CREATE INDEX comments_public_idx ON comments (task_id, created_at) WHERE NOT internal;

-- +goose Down
DROP INDEX comments_public_idx;
DROP INDEX tasks_open_idx;
DROP INDEX tasks_triage_idx;
UPDATE tasks SET kind = 'task' WHERE kind = 'order';
ALTER TABLE tasks DROP COLUMN request, DROP COLUMN page_url;
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('task', 'bug', 'question', 'change'));
