package store

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SearchChannel rings when a transaction queued text for the search index
// (migration 00030); the payload is empty. A card's or a comment's text
// rings with its event instead (migration 00031, Listener).
const SearchChannel = "doska_search"

// searchBatch is how many queued changes one transaction of the indexer
// takes: enough to amortise the statements over an agenda's 75 items, few
// enough that a batch holds its locks for milliseconds.
const searchBatch = 500

// IndexSearch brings search_docs up to date with everything queued and
// reports how many changes it took. Any number of indexers may run at
// once: each takes queued changes nobody else holds (SKIP LOCKED), and a
// text another indexer is rebuilding right now is left for the next round.
func (s *Store) IndexSearch(ctx context.Context) (int, error) {
	return s.indexSearch(ctx, false)
}

// indexSearch takes batches until one finds nothing to take, or, for a
// round of the server's indexer (round), until one finds less than a full
// batch queued: what was written while it ran waits for the next gathered
// round (Run). Going back for it at once, 1,000 creates at c=16 took 170
// batches of about six texts, each paying a batch's fixed cost
// (searchGather); gathered, 15.
func (s *Store) indexSearch(ctx context.Context, round bool) (int, error) {
	total := 0
	for {
		var n, queued int
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var err error
			n, queued, err = indexSearchBatch(tx, searchBatch)
			return err
		})
		total += n
		if err != nil || n == 0 || round && queued < searchBatch {
			if err == nil && total >= searchVacuumAfter {
				err = wrap("vacuum search queue", s.db.WithContext(ctx).Exec("VACUUM (SKIP_LOCKED, TRUNCATE false) search_queue").Error)
			}
			return total, err
		}
	}
}

// searchVacuumAfter is how many queued changes a call must take for it to
// vacuum the queue at the end. An import leaves the queue's index full of
// dead entries, which every claim then walks until autovacuum comes by
// (up to a minute later, or longer on a busy server): 200,000 cards and
// comments made each claim read 1,100 index pages, 18–31 ms a round on
// two cores, while every move rang for a round. The table is not
// truncated: that would lock out, briefly, every write that queues text.
// A queue that grows slowly is autovacuum's.
const searchVacuumAfter = 10_000

// indexSearchBatch rebuilds the rows of up to limit queued changes in tx,
// in one statement whatever their number. n is how many it took; queued
// how many it found, those another indexer holds included.
func indexSearchBatch(tx *gorm.DB, limit int) (n, queued int, err error) {
	var picked []struct {
		ID       int64
		Source   string
		SourceID int64
		Mine     bool
	}
	// Two indexers must not rebuild one text at once: the one that read it
	// first could write last. The lock per text (held to commit) makes each
	// rebuild read after the previous one committed; a text locked by
	// another indexer stays queued for the next round.
	err = tx.Raw(`WITH q AS MATERIALIZED (
			SELECT id, source, source_id FROM search_queue ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
		SELECT id, source, source_id, pg_try_advisory_xact_lock(hashtextextended(source, source_id)) AS mine FROM q`, limit).
		Find(&picked).Error
	if err != nil {
		return 0, 0, wrap("take search queue", err)
	}
	ids := make([]int64, 0, len(picked))
	sources := make([]string, 0, len(picked))
	sourceIDs := make([]int64, 0, len(picked))
	for _, p := range picked {
		if p.Mine {
			ids, sources, sourceIDs = append(ids, p.ID), append(sources, p.Source), append(sourceIDs, p.SourceID)
		}
	}
	if len(ids) == 0 {
		return 0, len(picked), nil
	}
	// Sources are names of ours (letters and underscores): a literal array
	// needs no quoting.
	keys := []any{"{" + strings.Join(sources, ",") + "}", pgArray(sourceIDs)}
	// A round after a few writes rebuilds a few texts, and planning the
	// rebuild anew for them took 8.5 ms of a busy server's CPU (its SQL
	// functions inlined), more than the rebuild itself, once for every
	// few moves with a question: such rounds use the plan made once per
	// connection. A full batch (an import) keeps a plan made for its keys.
	if len(picked) < limit {
		if err := tx.Exec("SET LOCAL plan_cache_mode = force_generic_plan").Error; err != nil {
			return 0, 0, wrap("index search", err)
		}
	}
	if err := tx.Exec(indexSQL, keys...).Error; err != nil {
		return 0, 0, wrap("index search", err)
	}
	err = tx.Exec("DELETE FROM search_queue WHERE id = ANY(?::bigint[])", pgArray(ids)).Error
	return len(ids), len(picked), wrap("clear search queue", err)
}

// searchKeys are the queued texts (the arrays $1, $2), a workshop standing
// for its internal notes as well.
const searchKeys = `WITH k AS (SELECT DISTINCT source, source_id FROM unnest(?::text[], ?::bigint[]) AS k(source, source_id)),
keys AS (SELECT source, source_id FROM k
	UNION ALL SELECT 'workshop_internal', source_id FROM k WHERE source = 'workshop')`

// searchTexts is every queued text that still exists, with who may see it:
// the columns of search_docs before the text is analysed.
const searchTexts = `texts AS (
	SELECT 'card' AS source, t.id AS source_id, t.id AS task_id, t.project_id, p.client_id, false AS internal,
		'#' || t.number || ' ' || t.title AS title,
		t.description || ' ' || coalesce((SELECT string_agg(l, ' ') FROM jsonb_array_elements_text(t.labels) l), '') AS txt,
		t.updated_at AS at
	FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id IN (SELECT source_id FROM k WHERE source = 'card')
	UNION ALL
	SELECT 'comment', c.id, c.task_id, t.project_id, p.client_id, c.internal, '', c.body, coalesce(c.edited_at, c.created_at)
	FROM comments c JOIN tasks t ON t.id = c.task_id JOIN projects p ON p.id = t.project_id
	WHERE c.id IN (SELECT source_id FROM k WHERE source = 'comment')
	UNION ALL
	SELECT 'project', id, NULL, id, client_id, false, name, description, created_at
	FROM projects WHERE id IN (SELECT source_id FROM k WHERE source = 'project')
	UNION ALL
	SELECT 'client', id, NULL, NULL, id, false, name, '', created_at
	FROM clients WHERE id IN (SELECT source_id FROM k WHERE source = 'client')
	UNION ALL
	SELECT 'workshop', id, NULL, NULL, client_id, state <> 'published', '', notes, updated_at
	FROM workshops WHERE id IN (SELECT source_id FROM k WHERE source = 'workshop')
	UNION ALL
	SELECT 'workshop_internal', id, NULL, NULL, client_id, true, '', internal_notes, updated_at
	FROM workshops WHERE id IN (SELECT source_id FROM k WHERE source = 'workshop')
	UNION ALL
	SELECT 'workshop_item', i.id, NULL, NULL, w.client_id, i.internal OR w.state <> 'published',
		i.title, i.notes || ' ' || i.decision, w.updated_at
	FROM workshop_items i JOIN workshops w ON w.id = i.workshop_id
	WHERE i.id IN (SELECT source_id FROM k WHERE source = 'workshop_item'))`

// indexSQL writes the queued texts' rows and their new words, and deletes
// the rows of texts that are gone, in one statement. tsv is the 'russian'
// configuration (Russian and English stems) of the lower-cased text, then
// the 'simple' one of the text without accents (every word as written),
// then the scope lexemes of migrations 00018 and 00026; body keeps only
// the words matched as substrings (scripts written without spaces).
const indexSQL = searchKeys + `, ` + searchTexts + `,
docs AS MATERIALIZED (
	SELECT *, setweight(to_tsvector('simple', ut), 'A') || to_tsvector('simple', ux) AS words
	FROM (SELECT *, unaccent(lower(title)) AS ut, unaccent(lower(txt)) AS ux FROM texts) t),
put AS (
	INSERT INTO search_docs (source, source_id, task_id, project_id, client_id, internal, body, tsv, updated_at)
	SELECT source, source_id, task_id, project_id, client_id, internal, search_unspaced(ut || ' ' || ux),
		setweight(to_tsvector('russian', lower(title)), 'A') || to_tsvector('russian', lower(txt)) || words
		|| search_scope(client_id, project_id, internal), at
	FROM docs
	ON CONFLICT (source, source_id) DO UPDATE
	SET task_id = EXCLUDED.task_id, project_id = EXCLUDED.project_id, client_id = EXCLUDED.client_id,
		internal = EXCLUDED.internal, body = EXCLUDED.body, tsv = EXCLUDED.tsv, updated_at = EXCLUDED.updated_at),
gone AS (
	DELETE FROM search_docs d
	USING (SELECT source, source_id FROM keys EXCEPT SELECT source, source_id FROM docs) v
	WHERE d.source = v.source AND d.source_id = v.source_id)
INSERT INTO search_words (word)
SELECT DISTINCT w FROM docs, unnest(tsvector_to_array(words)) w
WHERE w ~ '^[[:alpha:]]{4,40}$' AND NOT search_is_unspaced(w)
	AND NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = w)`

// searchGather is how long a ring waits for more writes to join its round.
// A round has a fixed cost whatever its size (planning the rebuild took
// 2–3 ms, then three statements and a commit): paid for every create, it
// took the CPU the writers needed on a busy two-core machine; gathered, it
// is paid at most ten times a second, and a saved text is still found
// within a moment.
const searchGather = 100 * time.Millisecond

// SearchIndexer runs IndexSearch shortly after the database rings
// SearchChannel (Wake), and every Poll in case a ring was missed.
type SearchIndexer struct {
	Store *Store
	Log   *slog.Logger
	Poll  time.Duration
	wake  chan struct{}
}

// NewSearchIndexer makes an indexer that polls every poll.
func NewSearchIndexer(st *Store, log *slog.Logger, poll time.Duration) *SearchIndexer {
	return &SearchIndexer{Store: st, Log: log, Poll: poll, wake: make(chan struct{}, 1)}
}

// Wake asks for a round soon; it never blocks, and rings while a round is
// pending add nothing.
func (x *SearchIndexer) Wake() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Run indexes until ctx ends, once at start for what was queued while no
// server ran.
func (x *SearchIndexer) Run(ctx context.Context) error {
	tick := time.NewTicker(x.Poll)
	defer tick.Stop()
	for {
		if _, err := x.Store.indexSearch(ctx, true); err != nil && ctx.Err() == nil {
			x.Log.Warn("search indexer", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-x.wake:
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(searchGather):
			}
		case <-tick.C:
		}
	}
}
