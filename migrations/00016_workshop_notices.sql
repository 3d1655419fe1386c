-- A notification may be about a workshop instead of a card: the client's
-- users are told when a workshop's summary is published, and the bell item
-- opens that summary. Exactly one of the two targets is set.

-- +goose Up
ALTER TABLE notifications
    ALTER COLUMN task_id DROP NOT NULL,
    ALTER COLUMN project_id DROP NOT NULL,
    ADD COLUMN workshop_id BIGINT REFERENCES workshops (id),
    ADD CONSTRAINT notifications_one_target CHECK ((task_id IS NULL) <> (workshop_id IS NULL)
        AND (task_id IS NULL) = (project_id IS NULL));

-- +goose Down
DELETE FROM notifications WHERE workshop_id IS NOT NULL;
ALTER TABLE notifications
    DROP CONSTRAINT notifications_one_target,
    DROP COLUMN workshop_id,
    ALTER COLUMN task_id SET NOT NULL,
    ALTER COLUMN project_id SET NOT NULL;
