-- The search index off the writer's path (docs/ARCHITECTURE.md, "Search").
--
-- Until now each write rebuilt its text's search_docs row in its own
-- transaction (search_doc_put: unaccent, two to_tsvector configurations,
-- the new words): a third of a card's create, 0.17 ms per agenda item.
-- Now a write only notes what changed in search_queue, in the same
-- transaction (so a crash loses nothing), and rings 'doska_search' once;
-- the server's indexer (store.IndexSearch) rebuilds the rows in batches.
--
-- What narrows who may see a text cannot wait for the indexer: a deleted
-- comment or agenda item, a comment or item turned internal, a workshop
-- no longer published, a card or project moved. Those triggers change the
-- row's visibility columns (internal, project_id, client_id — the ones the
-- scope's WHERE reads) in the writing transaction; the indexer rewrites the
-- rest later. A client's search asks for '§c<client>' in tsv as well, but a
-- stale lexeme can only let a row through that the WHERE then refuses.

-- +goose Up
-- Not unique: a writer never waits for another writer or for the indexer
-- on a key, and a doc queued twice is rebuilt once per batch.
CREATE TABLE search_queue (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- A search_docs source; 'workshop' stands for its 'workshop_internal'
    -- row as well.
    source    TEXT NOT NULL,
    source_id BIGINT NOT NULL
);

-- +goose StatementBegin
-- Statement-level, after INSERT: one INSERT … SELECT for all the rows a
-- statement wrote (an agenda's 75 items), whatever their number.
CREATE FUNCTION search_queue_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue (source, source_id) SELECT TG_ARGV[0], id FROM new_rows;
    -- Repeated within a transaction, PostgreSQL delivers it once.
    PERFORM pg_notify('doska_search', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Row-level, after an UPDATE of the indexed text (rare: the WHEN clauses
-- keep moves, plans and saves of positions out).
CREATE FUNCTION search_queue_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue (source, source_id) VALUES (TG_ARGV[0], NEW.id);
    PERFORM pg_notify('doska_search', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Statement-level, after DELETE: the rows go at once.
CREATE FUNCTION search_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_docs WHERE source = TG_ARGV[0] AND source_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A comment or agenda item turned internal is hidden at once (its text is
-- queued by search_queue_row as well).
CREATE FUNCTION search_hide() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET internal = true WHERE source = TG_ARGV[0] AND source_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A workshop's state decides whether its notes and items are the client's
-- to find: leaving 'published' hides them at once; any change of state
-- queues its items, which read the state.
CREATE FUNCTION search_workshop_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'published' AND NEW.state <> 'published' THEN
        UPDATE search_docs SET internal = true
        WHERE source = 'workshop' AND source_id = NEW.id
           OR source = 'workshop_item' AND source_id IN (SELECT id FROM workshop_items WHERE workshop_id = NEW.id);
    END IF;
    INSERT INTO search_queue (source, source_id) VALUES ('workshop', NEW.id);
    IF OLD.state IS DISTINCT FROM NEW.state THEN
        INSERT INTO search_queue (source, source_id) SELECT 'workshop_item', id FROM workshop_items WHERE workshop_id = NEW.id;
    END IF;
    PERFORM pg_notify('doska_search', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A card moved to another project takes its own and its comments' rows
-- along at once (the project's members and client decide who finds them).
-- The rows are found by their keys: search_docs has no index on task_id.
CREATE FUNCTION search_card_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH keys AS (SELECT 'card' AS source, NEW.id AS source_id
                  UNION ALL SELECT 'comment', id FROM comments WHERE task_id = NEW.id),
    moved AS (UPDATE search_docs d SET project_id = NEW.project_id,
                  client_id = (SELECT client_id FROM projects WHERE id = NEW.project_id)
              FROM keys WHERE d.source = keys.source AND d.source_id = keys.source_id)
    INSERT INTO search_queue (source, source_id) SELECT source, source_id FROM keys;
    PERFORM pg_notify('doska_search', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A project moved to another client takes every row of the project along.
CREATE FUNCTION search_project_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH keys AS (SELECT 'project' AS source, NEW.id AS source_id
                  UNION ALL SELECT 'card', id FROM tasks WHERE project_id = NEW.id
                  UNION ALL SELECT 'comment', c.id FROM comments c JOIN tasks t ON t.id = c.task_id WHERE t.project_id = NEW.id),
    moved AS (UPDATE search_docs d SET client_id = NEW.client_id
              FROM keys WHERE d.source = keys.source AND d.source_id = keys.source_id)
    INSERT INTO search_queue (source, source_id) SELECT source, source_id FROM keys;
    PERFORM pg_notify('doska_search', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- The synchronous triggers of migrations 00013 and 00022 go; their
-- functions stay for the Down below.
DROP TRIGGER search_card_insert ON tasks;
DROP TRIGGER search_card_update ON tasks;
DROP TRIGGER search_comment_write ON comments;
DROP TRIGGER search_project_write ON projects;
DROP TRIGGER search_client_write ON clients;
DROP TRIGGER search_workshop_insert ON workshops;
DROP TRIGGER search_workshop_update ON workshops;
DROP TRIGGER search_workshop_item_write ON workshop_items;
DROP TRIGGER search_workshop_item_update ON workshop_items;

CREATE TRIGGER search_card_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_queue_new('card');
CREATE TRIGGER search_card_update AFTER UPDATE OF title, description, labels ON tasks FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.labels IS DISTINCT FROM NEW.labels)
    EXECUTE FUNCTION search_queue_row('card');
CREATE TRIGGER search_card_move AFTER UPDATE OF project_id ON tasks FOR EACH ROW
    WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id) EXECUTE FUNCTION search_card_moved();

CREATE TRIGGER search_comment_insert AFTER INSERT ON comments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_queue_new('comment');
CREATE TRIGGER search_comment_update AFTER UPDATE OF body, internal ON comments FOR EACH ROW
    WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.internal IS DISTINCT FROM NEW.internal)
    EXECUTE FUNCTION search_queue_row('comment');
CREATE TRIGGER search_comment_hide AFTER UPDATE OF internal ON comments FOR EACH ROW
    WHEN (NEW.internal AND NOT OLD.internal) EXECUTE FUNCTION search_hide('comment');
CREATE TRIGGER search_comment_delete AFTER DELETE ON comments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_forget('comment');

CREATE TRIGGER search_project_insert AFTER INSERT ON projects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_queue_new('project');
CREATE TRIGGER search_project_update AFTER UPDATE OF name, description ON projects FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.description IS DISTINCT FROM NEW.description)
    EXECUTE FUNCTION search_queue_row('project');
CREATE TRIGGER search_project_move AFTER UPDATE OF client_id ON projects FOR EACH ROW
    WHEN (OLD.client_id IS DISTINCT FROM NEW.client_id) EXECUTE FUNCTION search_project_moved();

CREATE TRIGGER search_client_insert AFTER INSERT ON clients REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_queue_new('client');
CREATE TRIGGER search_client_update AFTER UPDATE OF name ON clients FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_queue_row('client');

CREATE TRIGGER search_workshop_insert AFTER INSERT ON workshops REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_queue_new('workshop');
CREATE TRIGGER search_workshop_update AFTER UPDATE OF notes, internal_notes, state ON workshops FOR EACH ROW
    WHEN (OLD.notes IS DISTINCT FROM NEW.notes OR OLD.internal_notes IS DISTINCT FROM NEW.internal_notes
          OR OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION search_workshop_changed();

CREATE TRIGGER search_workshop_item_insert AFTER INSERT ON workshop_items REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_queue_new('workshop_item');
CREATE TRIGGER search_workshop_item_update AFTER UPDATE OF title, notes, decision, internal ON workshop_items FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.notes IS DISTINCT FROM NEW.notes
          OR OLD.decision IS DISTINCT FROM NEW.decision OR OLD.internal IS DISTINCT FROM NEW.internal)
    EXECUTE FUNCTION search_queue_row('workshop_item');
CREATE TRIGGER search_workshop_item_hide AFTER UPDATE OF internal ON workshop_items FOR EACH ROW
    WHEN (NEW.internal AND NOT OLD.internal) EXECUTE FUNCTION search_hide('workshop_item');
CREATE TRIGGER search_workshop_item_delete AFTER DELETE ON workshop_items REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_forget('workshop_item');

-- +goose Down
DROP TRIGGER search_workshop_item_delete ON workshop_items;
DROP TRIGGER search_workshop_item_hide ON workshop_items;
DROP TRIGGER search_workshop_item_update ON workshop_items;
DROP TRIGGER search_workshop_item_insert ON workshop_items;
DROP TRIGGER search_workshop_update ON workshops;
DROP TRIGGER search_workshop_insert ON workshops;
DROP TRIGGER search_client_update ON clients;
DROP TRIGGER search_client_insert ON clients;
DROP TRIGGER search_project_move ON projects;
DROP TRIGGER search_project_update ON projects;
DROP TRIGGER search_project_insert ON projects;
DROP TRIGGER search_comment_delete ON comments;
DROP TRIGGER search_comment_hide ON comments;
DROP TRIGGER search_comment_update ON comments;
DROP TRIGGER search_comment_insert ON comments;
DROP TRIGGER search_card_move ON tasks;
DROP TRIGGER search_card_update ON tasks;
DROP TRIGGER search_card_insert ON tasks;
DROP FUNCTION search_project_moved();
DROP FUNCTION search_card_moved();
DROP FUNCTION search_workshop_changed();
DROP FUNCTION search_hide();
DROP FUNCTION search_forget();
DROP FUNCTION search_queue_row();
DROP FUNCTION search_queue_new();
-- What was queued and not yet indexed goes through the old path.
SELECT search_doc_put('card', t.id, t.id, t.project_id, p.client_id, false, '#' || t.number || ' ' || t.title,
    t.description || ' ' || coalesce((SELECT string_agg(l, ' ') FROM jsonb_array_elements_text(t.labels) l), ''), t.updated_at)
FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id IN (SELECT source_id FROM search_queue WHERE source = 'card');
SELECT search_doc_put('comment', c.id, c.task_id, t.project_id, p.client_id, c.internal, '', c.body, coalesce(c.edited_at, c.created_at))
FROM comments c JOIN tasks t ON t.id = c.task_id JOIN projects p ON p.id = t.project_id
WHERE c.id IN (SELECT source_id FROM search_queue WHERE source = 'comment');
SELECT search_doc_put('project', id, NULL, id, client_id, false, name, description, created_at)
FROM projects WHERE id IN (SELECT source_id FROM search_queue WHERE source = 'project');
SELECT search_doc_put('client', id, NULL, NULL, id, false, name, '', created_at)
FROM clients WHERE id IN (SELECT source_id FROM search_queue WHERE source = 'client');
SELECT search_doc_put('workshop', id, NULL, NULL, client_id, state <> 'published', '', notes, updated_at),
       search_doc_put('workshop_internal', id, NULL, NULL, client_id, true, '', internal_notes, updated_at)
FROM workshops WHERE id IN (SELECT source_id FROM search_queue WHERE source = 'workshop');
SELECT search_doc_put('workshop_item', i.id, NULL, NULL, w.client_id, i.internal OR w.state <> 'published',
    i.title, i.notes || ' ' || i.decision, w.updated_at)
FROM workshop_items i JOIN workshops w ON w.id = i.workshop_id
WHERE i.id IN (SELECT source_id FROM search_queue WHERE source = 'workshop_item');
DROP TABLE search_queue;
CREATE TRIGGER search_card_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION search_card();
CREATE TRIGGER search_card_update AFTER UPDATE OF title, description, labels ON tasks FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.labels IS DISTINCT FROM NEW.labels)
    EXECUTE FUNCTION search_card();
CREATE TRIGGER search_comment_write AFTER INSERT OR DELETE OR UPDATE OF body, internal ON comments
    FOR EACH ROW EXECUTE FUNCTION search_comment();
CREATE TRIGGER search_project_write AFTER INSERT OR UPDATE OF name, description ON projects
    FOR EACH ROW EXECUTE FUNCTION search_project();
CREATE TRIGGER search_client_write AFTER INSERT OR UPDATE OF name ON clients
    FOR EACH ROW EXECUTE FUNCTION search_client();
CREATE TRIGGER search_workshop_insert AFTER INSERT ON workshops FOR EACH ROW EXECUTE FUNCTION search_workshop();
CREATE TRIGGER search_workshop_update AFTER UPDATE OF notes, internal_notes, state ON workshops FOR EACH ROW
    WHEN (OLD.notes IS DISTINCT FROM NEW.notes OR OLD.internal_notes IS DISTINCT FROM NEW.internal_notes
          OR OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION search_workshop();
CREATE TRIGGER search_workshop_item_write AFTER INSERT OR DELETE ON workshop_items
    FOR EACH ROW EXECUTE FUNCTION search_workshop_item();
CREATE TRIGGER search_workshop_item_update AFTER UPDATE OF title, notes, decision, internal ON workshop_items FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.notes IS DISTINCT FROM NEW.notes
          OR OLD.decision IS DISTINCT FROM NEW.decision OR OLD.internal IS DISTINCT FROM NEW.internal)
    EXECUTE FUNCTION search_workshop_item();
