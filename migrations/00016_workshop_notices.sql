-- Publishing a workshop's summary: the client's users are told in the bell
-- (a notification may be about a workshop instead of a card; the bell item
-- opens the summary), and the summary lists each card made with the
-- estimate agreed at the meeting.

-- +goose Up
ALTER TABLE notifications
    ALTER COLUMN task_id DROP NOT NULL,
    ALTER COLUMN project_id DROP NOT NULL,
    ADD COLUMN workshop_id BIGINT REFERENCES workshops (id),
    ADD CONSTRAINT notifications_one_target CHECK ((task_id IS NULL) <> (workshop_id IS NULL)
        AND (task_id IS NULL) = (project_id IS NULL));

-- The estimate a card had when the workshop made it: the client reads it in
-- the summary as what was agreed, while the card's own estimate is the
-- agency's planning, re-estimated without the client.
ALTER TABLE workshop_tasks ADD COLUMN estimate_minutes INT;
UPDATE workshop_tasks wt SET estimate_minutes = t.estimate_minutes FROM tasks t WHERE t.id = wt.task_id;

-- +goose Down
ALTER TABLE workshop_tasks DROP COLUMN estimate_minutes;
DELETE FROM notifications WHERE workshop_id IS NOT NULL;
ALTER TABLE notifications
    DROP CONSTRAINT notifications_one_target,
    DROP COLUMN workshop_id,
    ALTER COLUMN task_id SET NOT NULL,
    ALTER COLUMN project_id SET NOT NULL;
