package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/store"
)

// searchTriggers queue the texts of cards, comments, projects and clients
// for the server's search indexer (migration 00030); the write figures are
// taken with them off and on.
var searchTriggers = [][2]string{{"tasks", "search_card_insert"}, {"tasks", "search_card_update"},
	{"comments", "search_comment_insert"}, {"comments", "search_comment_update"},
	{"projects", "search_project_insert"}, {"projects", "search_project_update"},
	{"clients", "search_client_insert"}, {"clients", "search_client_update"}}

func (e *benchEnv) searchIndex(ctx context.Context, on bool) error {
	verb := "DISABLE"
	if on {
		verb = "ENABLE"
	}
	for _, t := range searchTriggers {
		if err := e.db.WithContext(ctx).Exec(fmt.Sprintf("ALTER TABLE %s %s TRIGGER %s", t[0], verb, t[1])).Error; err != nil {
			return err
		}
	}
	return nil
}

// searchDrained waits until the indexers have taken everything queued, so
// that the index work of one run never weighs on the next.
func (e *benchEnv) searchDrained(ctx context.Context) error {
	for {
		var n int64
		if err := e.db.WithContext(ctx).Raw("SELECT count(*) FROM search_queue").Row().Scan(&n); err != nil || n == 0 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// vocabulary makes n made-up words of three syllables in each of four
// scripts (Latin with Polish letters, Cyrillic, Japanese kana), so a word
// is in about 0.5 % of the cards: what a specific search word is.
func vocabulary(n int) []string {
	syl := [][]string{
		{"ka", "lo", "mi", "re", "tu", "sa", "ne", "vo", "pi", "da", "go", "fe", "zy", "bo", "ha", "ju"},
		{"ża", "ło", "ść", "rę", "ką", "ni", "wo", "pa", "dy", "ko", "la", "mo", "se", "tu", "cz", "rz"},
		{"ка", "ло", "ми", "ре", "ту", "са", "не", "во", "пи", "да", "го", "фе", "жу", "бо", "ха", "чи"},
		{"か", "ろ", "み", "れ", "つ", "さ", "ね", "ぼ", "ぴ", "だ", "ご", "ふ", "じ", "は", "き", "せ"},
	}
	words := make([]string, 0, n)
	for i := 0; len(words) < n; i++ {
		s := syl[i%4]
		j := i / 4
		words = append(words, s[j%16]+s[(j/16)%16]+s[(j/256)%16]+s[(j/4096)%16])
	}
	return words
}

// searchCorpus writes cards and comments across 40 clients in bulk with the
// index's triggers off, then times building the index from scratch.
func (e *benchEnv) searchCorpus(ctx context.Context, cards, comments int, vocab []string) (time.Duration, error) {
	db := e.db.WithContext(ctx)
	if err := e.searchIndex(ctx, false); err != nil {
		return 0, err
	}
	words := textArray(vocab)
	perClient := cards / 40
	for c := range 40 {
		cl, err := e.store.CreateClient(ctx, e.manager.Actor(), fmt.Sprintf("Search client %02d", c))
		if err != nil {
			return 0, err
		}
		p, err := e.store.CreateProject(ctx, e.manager.Actor(), store.NewProject{ClientID: cl.ID, Name: "Search project",
			MemberIDs: []int64{e.people[c%len(e.people)].ID}})
		if err != nil {
			return 0, err
		}
		// A word of the title and description: the n-th pseudo-random pick.
		pick := func(k int) string {
			return fmt.Sprintf("w[1 + ((g * %d + %d) * 2654435761 %% %d)]", 7+k, k*131+c*977, len(vocab))
		}
		var title, desc []string
		for k := range 5 {
			title = append(title, pick(k))
		}
		for k := 5; k < 25; k++ {
			desc = append(desc, pick(k))
		}
		err = db.Exec(`INSERT INTO tasks (project_id, title, description, status, rank, kind, priority, reporter_id, created_at, updated_at, archived_at)
SELECT ?, `+strings.Join(title, " || ' ' || ")+`, `+strings.Join(desc, " || ' ' || ")+`, 'done', 'a' || lpad(g::text, 8, '0'),
  (ARRAY['task','bug','question','change'])[1 + g % 4], 'normal', ?, now() - (g % 700) * interval '1 day', now() - (g % 300) * interval '1 day', now()
FROM (SELECT ?::text[] AS w) v, generate_series(1, ?) g`, p.ID, e.manager.ID, words, perClient).Error
		if err != nil {
			return 0, err
		}
	}
	var comment []string
	for k := range 12 {
		comment = append(comment, fmt.Sprintf("w[1 + ((t.id * %d + c) * 2654435761 %% %d)]", 11+k, len(vocab)))
	}
	err := db.Exec(`INSERT INTO comments (task_id, author_id, body, internal)
SELECT t.id, ?, `+strings.Join(comment, " || ' ' || ")+`, c = 2 AND t.id % 3 = 0
FROM (SELECT ?::text[] AS w) v, tasks t, generate_series(0, ?) c
WHERE t.project_id IN (SELECT id FROM projects WHERE name = 'Search project')`,
		e.manager.ID, words, comments/cards-1).Error
	if err != nil {
		return 0, err
	}
	// The build: every text queued, drained by the indexer (the bench's
	// and the server's, as two instances would), then the indexes.
	started := time.Now()
	for _, stmt := range []string{
		"DROP INDEX search_docs_tsv_idx", "DROP INDEX search_docs_trgm_idx", "DROP INDEX search_words_trgm_idx",
		"TRUNCATE search_docs, search_words, search_queue",
		`INSERT INTO search_queue (source, source_id) SELECT 'client', id FROM clients
			UNION ALL SELECT 'project', id FROM projects UNION ALL SELECT 'card', id FROM tasks
			UNION ALL SELECT 'comment', id FROM comments ORDER BY 1, 2`,
	} {
		if err := db.Exec(stmt).Error; err != nil {
			return 0, fmt.Errorf("%.60s: %w", stmt, err)
		}
	}
	if _, err := e.store.IndexSearch(ctx); err != nil {
		return 0, err
	}
	if err := e.searchDrained(ctx); err != nil {
		return 0, err
	}
	for _, stmt := range []string{
		"CREATE INDEX search_docs_tsv_idx ON search_docs USING gin (tsv)",
		"CREATE INDEX search_docs_trgm_idx ON search_docs USING gin (body gin_trgm_ops) WHERE body <> ''",
		"CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops)",
		"ANALYZE",
	} {
		if err := db.Exec(stmt).Error; err != nil {
			return 0, fmt.Errorf("%.60s: %w", stmt, err)
		}
	}
	return time.Since(started), e.searchIndex(ctx, true)
}

// getAs fetches a path with another user's token.
func (e *benchEnv) getAs(token, path string) error {
	req, _ := http.NewRequest("GET", e.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d", path, res.StatusCode)
	}
	return nil
}

// searchPairs is how many times the writes are measured with the index
// and without it. One round of a busy machine can swing a p95 by 40 %
// either way: the verdict is the median of the pairs' ratios, which one
// such round cannot move.
const searchPairs = 6

// searchWrites times moves and creates at c=16 in pairs of rounds, one
// with the search index and one without, on the same boards; each pair
// swaps the order of its two rounds (A B, B A, A B …) so that whatever
// drifts during the run (the tables grow, other work on the machine comes
// and goes) weighs on both variants alike. Each create round has a board
// of its own, so none creates into a larger board. The rows pool every
// round of a variant; their note gives each pair's p95 ratio and the
// median.
func (e *benchEnv) searchWrites(ctx context.Context) ([]Result, error) {
	_, ids, err := e.project(ctx, "Search writes", 2000, 5)
	if err != nil {
		return nil, err
	}
	m := newMover(ids)
	own := split(ids[:320], 16)
	// runs[on][0] are the move rounds, runs[on][1] the create rounds.
	runs := map[bool][2][]Result{}
	pairs := e.pick(2, searchPairs)
	for k := range 2 * pairs {
		// Pair k/2 runs without the index first when even, with it first when odd.
		on := k%2 == 1 != (k/2%2 == 1)
		if err := e.searchIndex(ctx, on); err != nil {
			return nil, err
		}
		createIn, _, err := e.project(ctx, fmt.Sprintf("Search creates %d", k), 200, 5)
		if err != nil {
			return nil, err
		}
		r := runs[on]
		r[0] = append(r[0], measure(ctx, 16, e.pick(100, 1500), 10*time.Second, func(w, i int) error {
			return m.move(e, rand.New(rand.NewPCG(uint64(w), uint64(k<<20+i))), own[w])
		}))
		r[1] = append(r[1], measure(ctx, 16, e.pick(100, 1000), 10*time.Second, func(w, i int) error {
			_, err := e.call("POST", fmt.Sprintf("/api/projects/%d/tasks", createIn), map[string]any{
				"title": fmt.Sprintf("Новая заявка %d: integration of the Allegro checkout", i)}, nil)
			return err
		}))
		runs[on] = r
		if err := e.searchDrained(ctx); err != nil {
			return nil, err
		}
	}
	var out []Result
	for _, on := range []bool{false, true} {
		variant := "without search index"
		if on {
			variant = "with search index"
		}
		for i, op := range []struct {
			scenario string
			size     int
		}{{"search-writes move", 2000}, {"search-writes create", 200}} {
			r := pooled(runs[on][i]...)
			r.Scenario, r.Variant, r.Size = op.scenario, variant, op.size
			if on {
				r.Note = pairRatios(runs[true][i], runs[false][i])
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// pairRatios describes with[i].P95 / without[i].P95 for each pair and
// their median.
func pairRatios(with, without []Result) string {
	ratios := make([]float64, len(with))
	for i := range with {
		ratios[i] = with[i].P95 / without[i].P95
	}
	return describePairs("p95 with / without the index", ratios)
}

// describePairs lists the ratios of alternating pairs of rounds, in the
// order they ran, and their median.
func describePairs(what string, ratios []float64) string {
	parts := make([]string, len(ratios))
	for i, r := range ratios {
		parts[i] = fmt.Sprintf("%.2f", r)
	}
	return fmt.Sprintf("%s in %d alternating pairs of rounds: %s; median %.2f", what, len(ratios), strings.Join(parts, ", "), median(ratios))
}

// median is the middle of values (of the two middle ones, their mean).
func median(values []float64) float64 {
	v := slices.Sorted(slices.Values(values))
	n := len(v)
	return (v[(n-1)/2] + v[n/2]) / 2
}

// search measures writes with and without the search index, then search
// itself on 200,000 cards and 600,000 comments across 40 clients: as a
// manager (everything), as a client's user (one client, public comments)
// and "#n".
func search(ctx context.Context, e *benchEnv) ([]Result, error) {
	var out []Result
	rows, err := e.searchWrites(ctx)
	if err != nil {
		return nil, err
	}
	out = append(out, rows...)

	cards := e.pick(20_000, 200_000)
	vocab := vocabulary(5000)
	build, err := e.searchCorpus(ctx, cards, 3*cards, vocab)
	if err != nil {
		return nil, err
	}
	var size struct {
		Table, Tsv, Trgm int64
		Docs, Words      int64
	}
	e.db.WithContext(ctx).Raw(`SELECT pg_relation_size('search_docs') AS table, pg_relation_size('search_docs_tsv_idx') AS tsv,
		pg_relation_size('search_docs_trgm_idx') AS trgm, (SELECT count(*) FROM search_docs) AS docs,
		(SELECT count(*) FROM search_words) AS words`).Scan(&size)
	note := fmt.Sprintf("%d docs, %d words; index built in %.1f s; table %d MB, tsvector GIN %d MB, trigram GIN %d MB",
		size.Docs, size.Words, build.Seconds(), size.Table>>20, size.Tsv>>20, size.Trgm>>20)

	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	var client models.Client
	e.db.WithContext(ctx).Raw("SELECT id, name FROM clients WHERE name = 'Search client 07'").Scan(&client)
	if _, err := e.store.CreateUser(ctx, store.NewUser{Email: "client@search.bench.test", Name: "Search Client", Role: models.RoleClient,
		ClientID: &client.ID, PasswordHash: hash}); err != nil {
		return nil, err
	}
	clientToken, err := e.login("client@search.bench.test")
	if err != nil {
		return nil, err
	}
	// Building the corpus outlasts an access token: sign the manager in again.
	if e.token, err = e.login("pm@bench.test"); err != nil {
		return nil, err
	}
	// "#n" jumps to cards of the corpus: the numbers come from a sequence
	// that rolled-back creates skip, so 1..cards would ask for gaps (404).
	var numbers []int64
	err = e.db.WithContext(ctx).Raw(`SELECT t.number FROM tasks t JOIN projects p ON p.id = t.project_id
		WHERE p.name = 'Search project' ORDER BY t.number`).Scan(&numbers).Error
	if err != nil {
		return nil, fmt.Errorf("card numbers of the corpus: %w", err)
	}
	if len(numbers) == 0 {
		return nil, errors.New("the corpus has no cards")
	}
	// One or two words (the second often a prefix), as typed.
	query := func(r *rand.Rand) string {
		q := vocab[r.IntN(len(vocab))]
		// A prefix of a second word; kana words, which match as
		// substrings, whole (two kana are too short for a trigram).
		if w := []rune(vocab[r.IntN(len(vocab))]); r.IntN(3) == 0 && len(w) > 4 {
			q += " " + string(w[:len(w)-2])
		}
		return "/api/search?q=" + url.QueryEscape(q)
	}
	for _, c := range []struct {
		variant string
		conc    int
		token   string
		path    func(r *rand.Rand) string
	}{
		{"manager", 1, e.token, query},
		{"manager", 16, e.token, query},
		{"client user", 1, clientToken, query},
		{"client user", 16, clientToken, query},
		{"#n manager", 1, e.token, func(r *rand.Rand) string { return fmt.Sprintf("/api/search?q=%%23%d", numbers[r.IntN(len(numbers))]) }},
	} {
		r := measure(ctx, c.conc, e.pick(200, 2000), 20*time.Second, func(w, i int) error {
			return e.getAs(c.token, c.path(rand.New(rand.NewPCG(uint64(w), uint64(i)))))
		})
		r.Scenario, r.Variant, r.Size, r.Note = "search", c.variant, cards, note
		out = append(out, r)
	}
	return out, nil
}
