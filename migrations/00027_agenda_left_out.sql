-- A drafted agenda proposes at most 15 cards per section, the longest
-- waits; the workshop remembers how many more each section found, so the
-- agenda can say "and 25 more" and point to where they are listed. A list
-- of {"source", "count"} in the agenda's order, rewritten by each draft.

-- +goose Up
ALTER TABLE workshops ADD COLUMN left_out JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(left_out) = 'array');

-- +goose Down
ALTER TABLE workshops DROP COLUMN left_out;
