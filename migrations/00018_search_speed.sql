-- Search at scale (docs/ARCHITECTURE.md, "Search"): the reader's scope is
-- answered inside the tsvector's GIN index, typos are forgiven through a
-- word list instead of trigrams over every text, and the trigram index
-- holds only the text it is still needed for (scripts written without
-- spaces), which keeps a card's or comment's write cheap.

-- +goose Up
-- Words of 4–40 letters (accents removed) that occur in searchable text.
-- A word of a query that matches nothing is looked up here by trigram
-- similarity, and the close words are searched for instead: a few hundred
-- thousand short rows, where a trigram scan of every text read thousands.
-- Words are only added, never removed (a word no text has any more just
-- finds nothing); no unique key, so concurrent writers never wait on each
-- other for a new word: a rare duplicate is harmless.
CREATE TABLE search_words (word TEXT NOT NULL);
CREATE INDEX search_words_word_idx ON search_words (word);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

-- +goose StatementBegin
-- Whether a text has a letter of a script written without spaces (Japanese,
-- Chinese): such words are matched as substrings. The ranges cover Go's
-- unicode.Han, Hiragana and Katakana, which decide in models.ParseSearch.
CREATE FUNCTION search_is_unspaced(t TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT t ~ '[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u31f0-\u31ff\u32d0-\u32fe\u3300-\u3357\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U0001b000-\U0001b16f\U00020000-\U0003134f]'
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- The words of a text that are matched as substrings; most texts have none,
-- and are not split at all.
CREATE FUNCTION search_unspaced(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN search_is_unspaced(t)
        THEN (SELECT string_agg(w, ' ') FROM regexp_split_to_table(t, '\s+') w WHERE search_is_unspaced(w))
        ELSE '' END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Who may see a text, as lexemes no query word can spell (ParseSearch keeps
-- letters and digits only): '§c<client>' on what the client's users may
-- see, '§i<client>' on the client's internal text, '§p<project>' on a
-- project's. Searching "words & '§c7'" lets the index return client 7's
-- public matches alone instead of every company's for a later filter.
CREATE FUNCTION search_scope(p_client BIGINT, p_project BIGINT, p_internal BOOLEAN) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(array_remove(ARRAY[CASE WHEN p_internal THEN '§i' ELSE '§c' END || p_client,
        '§p' || p_project], NULL))
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_doc_put(p_source TEXT, p_id BIGINT, p_task BIGINT, p_project BIGINT,
    p_client BIGINT, p_internal BOOLEAN, p_title TEXT, p_text TEXT, p_at TIMESTAMPTZ) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    title TEXT := unaccent(lower(p_title));
    txt TEXT := unaccent(lower(p_text));
    words TSVECTOR := setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', txt);
BEGIN
    INSERT INTO search_docs (source, source_id, task_id, project_id, client_id, internal, body, tsv, updated_at)
    VALUES (p_source, p_id, p_task, p_project, p_client, p_internal, search_unspaced(title || ' ' || txt),
        setweight(to_tsvector('russian', lower(p_title)), 'A') || to_tsvector('russian', lower(p_text)) || words
        || search_scope(p_client, p_project, p_internal), p_at)
    ON CONFLICT (source, source_id) DO UPDATE
    SET internal = EXCLUDED.internal, body = EXCLUDED.body, tsv = EXCLUDED.tsv, updated_at = EXCLUDED.updated_at;
    INSERT INTO search_words (word)
    SELECT w FROM unnest(tsvector_to_array(words)) w
    WHERE w ~ '^[[:alpha:]]{4,40}$' AND NOT search_is_unspaced(w)
      AND NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = w);
END $$;
-- +goose StatementEnd

-- What existed before: the words from the full text, then each row's new
-- forms (body held the whole text lower-cased without accents).
INSERT INTO search_words (word)
SELECT DISTINCT w FROM search_docs, unnest(tsvector_to_array(to_tsvector('simple', body))) w
WHERE w ~ '^[[:alpha:]]{4,40}$' AND NOT search_is_unspaced(w);
UPDATE search_docs SET body = search_unspaced(body), tsv = tsv || search_scope(client_id, project_id, internal);

-- Most texts have no unspaced words: they stay out of the trigram index.
DROP INDEX search_docs_trgm_idx;
CREATE INDEX search_docs_trgm_idx ON search_docs USING gin (body gin_trgm_ops) WHERE body <> '';
-- The scope lexemes do these indexes' work; each was one more write.
DROP INDEX search_docs_project_idx;
DROP INDEX search_docs_client_idx;

-- +goose Down
CREATE INDEX search_docs_project_idx ON search_docs (project_id);
CREATE INDEX search_docs_client_idx ON search_docs (client_id);
DROP INDEX search_docs_trgm_idx;
CREATE INDEX search_docs_trgm_idx ON search_docs USING gin (body gin_trgm_ops);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_doc_put(p_source TEXT, p_id BIGINT, p_task BIGINT, p_project BIGINT,
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
-- The full text again, from where it lives.
SELECT search_doc_put('client', id, NULL, NULL, id, false, name, '', created_at) FROM clients;
SELECT search_doc_put('project', id, NULL, id, client_id, false, name, description, created_at) FROM projects;
SELECT search_doc_put('card', t.id, t.id, t.project_id, p.client_id, false, '#' || t.number || ' ' || t.title,
    t.description || ' ' || coalesce((SELECT string_agg(l, ' ') FROM jsonb_array_elements_text(t.labels) l), ''), t.updated_at)
FROM tasks t JOIN projects p ON p.id = t.project_id;
SELECT search_doc_put('comment', c.id, c.task_id, t.project_id, p.client_id, c.internal, '', c.body, coalesce(c.edited_at, c.created_at))
FROM comments c JOIN tasks t ON t.id = c.task_id JOIN projects p ON p.id = t.project_id;
DROP FUNCTION search_scope(BIGINT, BIGINT, BOOLEAN);
DROP FUNCTION search_unspaced(TEXT);
DROP FUNCTION search_is_unspaced(TEXT);
DROP TABLE search_words;
