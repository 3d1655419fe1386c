-- Cards and comments stop ringing 'doska_search' (docs/ARCHITECTURE.md,
-- "Search").
--
-- Every change of a card's or a comment's text comes with an event in the
-- same transaction, and each server's listener wakes its search indexer on
-- every event (server/run.go). The ring of their triggers (a PERFORM
-- pg_notify per statement, and one more notification per transaction for
-- the listener to read and hand over) was half of what the search index
-- added to a card's create: in alternated runs of the bench's search-writes
-- scenario, the creates' p95 with / without the index went from a mean of
-- 1.08 over 18 pairs of rounds to 1.05. Projects, clients and workshops
-- still ring: not all of their changes come with an event.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_queue_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue (source, source_id) SELECT TG_ARGV[0], id FROM new_rows;
    IF TG_ARGV[0] NOT IN ('card', 'comment') THEN
        -- Repeated within a transaction, PostgreSQL delivers it once.
        PERFORM pg_notify('doska_search', '');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_queue_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue (source, source_id) VALUES (TG_ARGV[0], NEW.id);
    IF TG_ARGV[0] NOT IN ('card', 'comment') THEN
        PERFORM pg_notify('doska_search', '');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_queue_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue (source, source_id) SELECT TG_ARGV[0], id FROM new_rows;
    PERFORM pg_notify('doska_search', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_queue_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue (source, source_id) VALUES (TG_ARGV[0], NEW.id);
    PERFORM pg_notify('doska_search', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd
