-- Search: one row per searchable text in search_docs, kept by triggers on
-- the tables the text lives in. A search reads one table with the reader's
-- scope in its WHERE clause, so permissions apply before ranking and before
-- any LIMIT. docs/ARCHITECTURE.md ("Search") explains the choices and how
-- to add a source.

-- +goose Up
-- pg_trgm and unaccent ship in PostgreSQL's contrib, part of Debian's
-- postgresql package and of the official postgres image; both are trusted
-- extensions, so the database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE search_docs (
    source     TEXT NOT NULL CHECK (source IN ('card', 'comment', 'project', 'client')),
    source_id  BIGINT NOT NULL,
    task_id    BIGINT,
    -- NULL only for a client's own row.
    project_id BIGINT,
    client_id  BIGINT NOT NULL,
    -- Staff-only text: never matches for a client user.
    internal   BOOLEAN NOT NULL DEFAULT false,
    -- Lower-cased, accents removed: what trigram matching (typos, Japanese
    -- substrings) compares with.
    body       TEXT NOT NULL,
    -- The 'russian' configuration stems Russian words and, through its
    -- english_stem for Latin words, English ones; the 'simple' part keeps
    -- every word as written (Polish, Japanese, numbers) for exact and
    -- prefix matches.
    tsv        TSVECTOR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, source_id)
);
CREATE INDEX search_docs_tsv_idx ON search_docs USING gin (tsv);
CREATE INDEX search_docs_trgm_idx ON search_docs USING gin (body gin_trgm_ops);
CREATE INDEX search_docs_project_idx ON search_docs (project_id);
CREATE INDEX search_docs_client_idx ON search_docs (client_id);

-- +goose StatementBegin
CREATE FUNCTION search_doc_put(p_source TEXT, p_id BIGINT, p_task BIGINT, p_project BIGINT,
    p_client BIGINT, p_internal BOOLEAN, p_title TEXT, p_text TEXT, p_at TIMESTAMPTZ) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO search_docs (source, source_id, task_id, project_id, client_id, internal, body, tsv, updated_at)
    SELECT p_source, p_id, p_task, p_project, p_client, p_internal, unaccent(lower(t)),
           setweight(to_tsvector('russian', lower(p_title)), 'A') || to_tsvector('russian', lower(p_text))
           || setweight(to_tsvector('simple', unaccent(lower(p_title))), 'A') || to_tsvector('simple', unaccent(lower(p_text))),
           p_at
    FROM (SELECT p_title || ' ' || p_text AS t) s
    ON CONFLICT (source, source_id) DO UPDATE
    SET internal = EXCLUDED.internal, body = EXCLUDED.body, tsv = EXCLUDED.tsv, updated_at = EXCLUDED.updated_at;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION search_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_doc_put('card', NEW.id, NEW.id, NEW.project_id,
        (SELECT client_id FROM projects WHERE id = NEW.project_id), false,
        '#' || NEW.number || ' ' || NEW.title,
        NEW.description || ' ' || coalesce((SELECT string_agg(l, ' ') FROM jsonb_array_elements_text(NEW.labels) l), ''),
        NEW.updated_at);
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- Only a change of the indexed text touches the index: moves, plans and
-- approvals (most writes to tasks) do not.
CREATE TRIGGER search_card_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION search_card();
CREATE TRIGGER search_card_update AFTER UPDATE OF title, description, labels ON tasks FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.labels IS DISTINCT FROM NEW.labels)
    EXECUTE FUNCTION search_card();

-- +goose StatementBegin
CREATE FUNCTION search_comment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_docs WHERE source = 'comment' AND source_id = OLD.id;
        RETURN NULL;
    END IF;
    PERFORM search_doc_put('comment', NEW.id, NEW.task_id, t.project_id, p.client_id, NEW.internal,
        '', NEW.body, coalesce(NEW.edited_at, NEW.created_at))
    FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = NEW.task_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER search_comment_write AFTER INSERT OR DELETE OR UPDATE OF body, internal ON comments
    FOR EACH ROW EXECUTE FUNCTION search_comment();

-- +goose StatementBegin
CREATE FUNCTION search_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_doc_put('project', NEW.id, NULL, NEW.id, NEW.client_id, false, NEW.name, NEW.description, NEW.created_at);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER search_project_write AFTER INSERT OR UPDATE OF name, description ON projects
    FOR EACH ROW EXECUTE FUNCTION search_project();

-- +goose StatementBegin
CREATE FUNCTION search_client() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_doc_put('client', NEW.id, NULL, NULL, NEW.id, false, NEW.name, '', NEW.created_at);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER search_client_write AFTER INSERT OR UPDATE OF name ON clients
    FOR EACH ROW EXECUTE FUNCTION search_client();

-- What existed before this migration.
SELECT search_doc_put('client', id, NULL, NULL, id, false, name, '', created_at) FROM clients;
SELECT search_doc_put('project', id, NULL, id, client_id, false, name, description, created_at) FROM projects;
SELECT search_doc_put('card', t.id, t.id, t.project_id, p.client_id, false, '#' || t.number || ' ' || t.title,
    t.description || ' ' || coalesce((SELECT string_agg(l, ' ') FROM jsonb_array_elements_text(t.labels) l), ''), t.updated_at)
FROM tasks t JOIN projects p ON p.id = t.project_id;
SELECT search_doc_put('comment', c.id, c.task_id, t.project_id, p.client_id, c.internal, '', c.body, coalesce(c.edited_at, c.created_at))
FROM comments c JOIN tasks t ON t.id = c.task_id JOIN projects p ON p.id = t.project_id;

-- A person's named searches and board filters, each an address inside the
-- app ("/search?q=…&status=…"): opening it is the filter, and the same
-- link works for anyone it is sent to, within what they may see.
CREATE TABLE saved_filters (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    url        TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX saved_filters_name_key ON saved_filters (user_id, lower(name));

-- +goose Down
DROP TABLE saved_filters;
DROP TRIGGER search_client_write ON clients;
DROP TRIGGER search_project_write ON projects;
DROP TRIGGER search_comment_write ON comments;
DROP TRIGGER search_card_update ON tasks;
DROP TRIGGER search_card_insert ON tasks;
DROP FUNCTION search_client();
DROP FUNCTION search_project();
DROP FUNCTION search_comment();
DROP FUNCTION search_card();
DROP FUNCTION search_doc_put(TEXT, BIGINT, BIGINT, BIGINT, BIGINT, BOOLEAN, TEXT, TEXT, TIMESTAMPTZ);
DROP TABLE search_docs;
