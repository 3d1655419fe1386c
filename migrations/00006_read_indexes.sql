-- Indexes for reads of a few projects in a large database: a developer's
-- or a client's lists must read their projects' cards, not the agency's.

-- +goose Up
-- A project's archive, newest first. Every other index on tasks is partial
-- on "archived_at IS NULL", so the archive of one project scanned them all.
CREATE INDEX tasks_archived_idx ON tasks (project_id, archived_at DESC) WHERE archived_at IS NOT NULL;
-- The cards waiting for a client's answer, by project: read in the order of
-- the whole agency, a developer's list filtered every waiting card.
DROP INDEX tasks_waiting_idx;
CREATE INDEX tasks_waiting_idx ON tasks (project_id, status_changed_at) WHERE status = 'awaiting_reply' AND archived_at IS NULL;

-- +goose Down
DROP INDEX tasks_waiting_idx;
CREATE INDEX tasks_waiting_idx ON tasks (status_changed_at) WHERE status = 'awaiting_reply' AND archived_at IS NULL;
DROP INDEX tasks_archived_idx;
