-- A developer's search narrowed inside the index (docs/ARCHITECTURE.md,
-- "Search").
--
-- A row that belongs to no project (a client's own row, a workshop's notes
-- and items) also carries '§n<client>', so that a developer's search can
-- ask the GIN index for their projects' rows ('§p…') and their clients'
-- project-less rows ('§n…') alone, as a client user's search already asks
-- for '§c<client>': the index then returns no other project's hits for the
-- scope condition to drop.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_scope(p_client BIGINT, p_project BIGINT, p_internal BOOLEAN) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(array_remove(ARRAY[CASE WHEN p_internal THEN '§i' ELSE '§c' END || p_client,
        coalesce('§p' || p_project, '§n' || p_client)], NULL))
$$;
-- +goose StatementEnd
UPDATE search_docs SET tsv = tsv || array_to_tsvector(ARRAY['§n' || client_id]) WHERE project_id IS NULL;

-- +goose Down
UPDATE search_docs SET tsv = ts_delete(tsv, '§n' || client_id) WHERE project_id IS NULL;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_scope(p_client BIGINT, p_project BIGINT, p_internal BOOLEAN) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(array_remove(ARRAY[CASE WHEN p_internal THEN '§i' ELSE '§c' END || p_client,
        '§p' || p_project], NULL))
$$;
-- +goose StatementEnd
