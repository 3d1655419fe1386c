-- Estimate approval: a card may carry a quote (hours) the client accepts
-- before the work starts. quote_state is none (no quote), sent (waiting
-- for the client), accepted, declined (back with the PM), or overridden
-- (a manager let the work start without the client's acceptance, with a
-- reason in quote_reason).

-- +goose Up
ALTER TABLE tasks
    ADD COLUMN quote_minutes INT CHECK (quote_minutes BETWEEN 1 AND 60000),
    ADD COLUMN quote_state TEXT NOT NULL DEFAULT 'none'
        CHECK (quote_state IN ('none', 'sent', 'accepted', 'declined', 'overridden')),
    ADD COLUMN quote_reason TEXT NOT NULL DEFAULT '' CHECK (length(quote_reason) <= 2000),
    ADD CONSTRAINT tasks_quote_hours CHECK (quote_state = 'none' OR quote_minutes IS NOT NULL);
-- The client's home lists the quotes waiting for them.
CREATE INDEX tasks_quote_sent_idx ON tasks (project_id) WHERE quote_state = 'sent';

-- +goose Down
DROP INDEX tasks_quote_sent_idx;
ALTER TABLE tasks DROP CONSTRAINT tasks_quote_hours, DROP COLUMN quote_reason, DROP COLUMN quote_state,
    DROP COLUMN quote_minutes;
