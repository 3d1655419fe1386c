-- Workshops as a search source: a workshop's notes, its internal notes and
-- each agenda item are rows of search_docs, so a search finds them and
-- opens the workshop. A client's user may see only the published workshops
-- of their own company, and never the internal notes or internal items:
-- those rows are written internal (an item or the notes of a workshop not
-- yet published too), which scopeDocs and the '§i' scope lexeme keep from
-- any client's search, before ranking and counting.

-- +goose Up
ALTER TABLE search_docs DROP CONSTRAINT search_docs_source_check;
ALTER TABLE search_docs ADD CONSTRAINT search_docs_source_check
    CHECK (source IN ('card', 'comment', 'project', 'client', 'workshop', 'workshop_internal', 'workshop_item'));

-- +goose StatementBegin
-- The workshop's two notes; on publishing, its items become the client's
-- to find as well (unless internal).
CREATE FUNCTION search_workshop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_doc_put('workshop', NEW.id, NULL, NULL, NEW.client_id, NEW.state <> 'published',
        '', NEW.notes, NEW.updated_at);
    PERFORM search_doc_put('workshop_internal', NEW.id, NULL, NULL, NEW.client_id, true,
        '', NEW.internal_notes, NEW.updated_at);
    IF TG_OP = 'UPDATE' AND OLD.state IS DISTINCT FROM NEW.state THEN
        PERFORM search_doc_put('workshop_item', i.id, NULL, NULL, NEW.client_id,
            i.internal OR NEW.state <> 'published', i.title, i.notes || ' ' || i.decision, NEW.updated_at)
        FROM workshop_items i WHERE i.workshop_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- Only the text and the state touch the index: saving the attendees, the
-- next meeting or the version alone does not.
CREATE TRIGGER search_workshop_insert AFTER INSERT ON workshops FOR EACH ROW EXECUTE FUNCTION search_workshop();
CREATE TRIGGER search_workshop_update AFTER UPDATE OF notes, internal_notes, state ON workshops FOR EACH ROW
    WHEN (OLD.notes IS DISTINCT FROM NEW.notes OR OLD.internal_notes IS DISTINCT FROM NEW.internal_notes
          OR OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION search_workshop();

-- +goose StatementBegin
CREATE FUNCTION search_workshop_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_docs WHERE source = 'workshop_item' AND source_id = OLD.id;
        RETURN NULL;
    END IF;
    PERFORM search_doc_put('workshop_item', NEW.id, NULL, NULL, w.client_id,
        NEW.internal OR w.state <> 'published', NEW.title, NEW.notes || ' ' || NEW.decision, now())
    FROM workshops w WHERE w.id = NEW.workshop_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- Saving an agenda rewrites every item's position: only a change of its
-- text or of internal reaches the index.
CREATE TRIGGER search_workshop_item_write AFTER INSERT OR DELETE ON workshop_items
    FOR EACH ROW EXECUTE FUNCTION search_workshop_item();
CREATE TRIGGER search_workshop_item_update AFTER UPDATE OF title, notes, decision, internal ON workshop_items FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.notes IS DISTINCT FROM NEW.notes
          OR OLD.decision IS DISTINCT FROM NEW.decision OR OLD.internal IS DISTINCT FROM NEW.internal)
    EXECUTE FUNCTION search_workshop_item();

-- What existed before this migration.
SELECT search_doc_put('workshop', id, NULL, NULL, client_id, state <> 'published', '', notes, updated_at) FROM workshops;
SELECT search_doc_put('workshop_internal', id, NULL, NULL, client_id, true, '', internal_notes, updated_at) FROM workshops;
SELECT search_doc_put('workshop_item', i.id, NULL, NULL, w.client_id, i.internal OR w.state <> 'published',
    i.title, i.notes || ' ' || i.decision, w.updated_at)
FROM workshop_items i JOIN workshops w ON w.id = i.workshop_id;

-- +goose Down
DROP TRIGGER search_workshop_item_update ON workshop_items;
DROP TRIGGER search_workshop_item_write ON workshop_items;
DROP TRIGGER search_workshop_update ON workshops;
DROP TRIGGER search_workshop_insert ON workshops;
DROP FUNCTION search_workshop_item();
DROP FUNCTION search_workshop();
DELETE FROM search_docs WHERE source IN ('workshop', 'workshop_internal', 'workshop_item');
ALTER TABLE search_docs DROP CONSTRAINT search_docs_source_check;
ALTER TABLE search_docs ADD CONSTRAINT search_docs_source_check
    CHECK (source IN ('card', 'comment', 'project', 'client'));
