-- Notices at 80 % and 100 % of an hour package. package_notices remembers
-- each one sent, once per package, level and period (the calendar month
-- for a retainer, the start day for a block): its primary key makes a
-- second send a no-op, even from two commands at once, and a package that
-- falls back under a level (an entry deleted) is not told again in that
-- period. A notification may now be about a package: it keeps the level
-- reached and the minutes left then, as the bell tells them.

-- +goose Up
CREATE TABLE package_notices (
    package_id BIGINT NOT NULL REFERENCES hour_packages (id) ON DELETE CASCADE,
    period     DATE NOT NULL,
    level      INT NOT NULL CHECK (level IN (80, 100)),
    sent_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (package_id, period, level)
);

ALTER TABLE notifications
    ADD COLUMN package_id BIGINT REFERENCES hour_packages (id) ON DELETE CASCADE,
    ADD COLUMN package_level INT,
    ADD COLUMN package_left_minutes INT,
    DROP CONSTRAINT notifications_one_target,
    ADD CONSTRAINT notifications_one_target CHECK (num_nonnulls(task_id, workshop_id, package_id) = 1
        AND (task_id IS NULL) = (project_id IS NULL)
        AND (package_id IS NULL) = (package_level IS NULL)
        AND (package_id IS NULL) = (package_left_minutes IS NULL));

-- +goose Down
DELETE FROM notifications WHERE package_id IS NOT NULL;
ALTER TABLE notifications
    DROP CONSTRAINT notifications_one_target,
    DROP COLUMN package_left_minutes,
    DROP COLUMN package_level,
    DROP COLUMN package_id,
    ADD CONSTRAINT notifications_one_target CHECK ((task_id IS NULL) <> (workshop_id IS NULL)
        AND (task_id IS NULL) = (project_id IS NULL));
DROP TABLE package_notices;
