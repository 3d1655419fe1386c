package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// SearchFilter is one search: the query, the filters and the page.
type SearchFilter struct {
	Query                           models.SearchQuery
	ClientID, ProjectID, AssigneeID int64
	Status                          models.Status
	Kind                            models.Kind
	Priority                        models.Priority
	// Periods are whole days, both ends included, in UTC.
	CreatedFrom, CreatedTo, UpdatedFrom, UpdatedTo *models.Date
	Cursor                                         string
	Limit                                          int
}

// cardFilters reports whether the filter names a card's attribute, which
// leaves projects and clients out of the results.
func (f SearchFilter) cardFilters() bool {
	return f.AssigneeID != 0 || f.Status != "" || f.Kind != "" || f.Priority != "" ||
		f.CreatedFrom != nil || f.CreatedTo != nil || f.UpdatedFrom != nil || f.UpdatedTo != nil
}

// SearchHit is one result: a card (found by its own text or a comment's),
// a project, a client or a workshop (by its notes or an agenda item).
type SearchHit struct {
	Source      string          `json:"source" enum:"card,comment,project,client,workshop,workshop_internal,workshop_item"`
	SourceID    int64           `json:"source_id"`
	Card        *SearchCard     `json:"card,omitempty" gorm:"-"`
	Workshop    *SearchWorkshop `json:"workshop,omitempty" gorm:"-"`
	ProjectID   *int64          `json:"project_id"`
	ProjectName string          `json:"project_name"`
	ClientID    int64           `json:"client_id"`
	ClientName  string          `json:"client_name"`
	// Snippet is plain text; the matched words are between U+0002 and U+0003.
	Snippet   string    `json:"snippet"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SearchCard is the card a hit belongs to.
type SearchCard struct {
	ID           int64           `json:"id"`
	Number       int64           `json:"number"`
	Title        string          `json:"title"`
	Status       models.Status   `json:"status"`
	Kind         models.Kind     `json:"kind"`
	Priority     models.Priority `json:"priority"`
	AssigneeID   *int64          `json:"assignee_id"`
	AssigneeName string          `json:"assignee_name"`
	Archived     bool            `json:"archived"`
}

// SearchWorkshop is the workshop a hit belongs to.
type SearchWorkshop struct {
	ID       int64     `json:"id"`
	StartsAt time.Time `json:"starts_at"`
	// ItemTitle is the agenda item's title for an item's hit, else empty.
	ItemTitle string `json:"item_title"`
}

// SearchPage is one page of results, best first.
type SearchPage struct {
	Items []SearchHit `json:"items"`
	// Total counts the hits the reader may see, up to SearchCountCap; it is
	// given on the first page only (0 on later ones).
	Total int `json:"total"`
	// Next is the cursor of the following page, empty on the last.
	Next string `json:"next"`
	// Fuzzy is set when no word matched as written and the results forgive
	// typos instead.
	Fuzzy bool `json:"fuzzy"`
}

// SearchCountCap bounds the count: "1,000+" is as useful as the exact
// figure and does not read every hit of a common word.
const SearchCountCap = 1000

// searchCursor is where a page ended, in the order of the results.
type searchCursor struct {
	Score  int64  `json:"s"`
	At     int64  `json:"t"` // unix microseconds, PostgreSQL's precision
	Source string `json:"k"`
	ID     int64  `json:"i"`
	Fuzzy  bool   `json:"f,omitempty"`
}

func (c searchCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (searchCursor, error) {
	var c searchCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Source == "" {
		return c, models.Invalid("cursor", models.SearchCursor)
	}
	return c, nil
}

// headline marks the matched words of a snippet for the app to highlight.
const headline = "StartSel=\u0002, StopSel=\u0003, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \""

// Search finds what the actor may see. The scope and the filters are in the
// same WHERE as the match, so they apply before ranking, counting and the
// LIMIT. When no word matches as written, it tries again forgiving typos in
// the longer words.
func (s *Store) Search(ctx context.Context, a models.Actor, f SearchFilter) (SearchPage, error) {
	if f.Query.Number != 0 {
		return s.searchNumber(ctx, a, f.Query.Number)
	}
	var after *searchCursor
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return SearchPage{}, err
		}
		after = &c
	}
	fuzzy := after != nil && after.Fuzzy
	page, err := s.searchPage(ctx, a, f, after, fuzzy)
	if err == nil && after == nil && len(page.Items) == 0 && !fuzzy && forgivable(f.Query) {
		page, err = s.searchPage(ctx, a, f, nil, true)
	}
	return page, err
}

func forgivable(q models.SearchQuery) bool {
	for _, w := range q.Words {
		if w.Fuzzy() {
			return true
		}
	}
	return false
}

// searchNumber answers "#123": the card when the actor may see it, else
// not found, the same answer as for a number no card has.
func (s *Store) searchNumber(ctx context.Context, a models.Actor, n int64) (SearchPage, error) {
	t, err := s.TaskByNumber(ctx, a, n)
	if err != nil {
		return SearchPage{}, err
	}
	var hit SearchHit
	err = s.db.WithContext(ctx).Raw(`SELECT p.name AS project_name, c.id AS client_id, c.name AS client_name
		FROM projects p JOIN clients c ON c.id = p.client_id WHERE p.id = ?`, t.ProjectID).Scan(&hit).Error
	card := &SearchCard{ID: t.ID, Number: t.Number, Title: t.Title, Status: t.Status, Kind: t.Kind, Priority: t.Priority,
		AssigneeID: t.AssigneeID, Archived: t.ArchivedAt != nil}
	if err == nil && t.AssigneeID != nil {
		err = s.db.WithContext(ctx).Raw("SELECT name FROM users WHERE id = ?", *t.AssigneeID).Row().Scan(&card.AssigneeName)
	}
	if err != nil {
		return SearchPage{}, wrap("search number", err)
	}
	hit.Source, hit.SourceID, hit.ProjectID, hit.UpdatedAt, hit.Card = "card", t.ID, &t.ProjectID, t.UpdatedAt, card
	return SearchPage{Items: []SearchHit{hit}, Total: 1}, nil
}

// searchTerms are the query's words as PostgreSQL reads them, worked out
// in a query of their own so that the search itself gets them as constants:
// the planner then knows what it is matching and reads the GIN indexes,
// where an expression would leave it guessing (and scanning).
type searchTerms struct {
	// words[i] is the tsquery text of Words[i] (a stem in the 'russian'
	// configuration or a prefix as written, accents ignored; forgiving a
	// typo, also the close words of search_words), "" for a substring word.
	words []string
	// plain[i] is Words[i] without accents, as body holds it.
	plain []string
	// member is a developer's scope as tsquery terms: '§p<project>' for
	// each of their projects and '§n<client>' for the rows of those
	// projects' clients that belong to no project (the client's name, its
	// workshops).
	member string
}

// searchFuzzyWords is how many close words a word with a typo stands for:
// enough for its inflections and neighbours, few enough to stay specific.
const searchFuzzyWords = 8

func (s *Store) searchTerms(ctx context.Context, scope models.Scope, q models.SearchQuery, fuzzy bool) (searchTerms, error) {
	t := searchTerms{words: make([]string, len(q.Words)), plain: make([]string, len(q.Words))}
	var cols []string
	var args, dest []any
	for i, w := range q.Words {
		t.plain[i] = w.Text
		if w.Substring {
			continue
		}
		col := `plainto_tsquery('russian', ?) || to_tsquery('simple', '''' || unaccent(?) || ''':*')`
		args = append(args, w.Text, w.Text)
		if fuzzy && w.Fuzzy() {
			// The words of the texts within word_similarity's threshold
			// (pg_trgm's <%, 0.6): "integraton" stands for "integration".
			// They hold letters only (migration 00018), so they are safe
			// as tsquery lexemes.
			col += ` || coalesce((SELECT to_tsquery('simple', string_agg(word, ' | ')) FROM (
				SELECT word FROM search_words WHERE unaccent(?) <% word
				GROUP BY word ORDER BY max(word_similarity(unaccent(?), word)) DESC, word LIMIT ?) v), ''::tsquery)`
			args = append(args, w.Text, w.Text, searchFuzzyWords)
		}
		cols = append(cols, "("+col+")::text")
		dest = append(dest, &t.words[i])
	}
	var plain string
	cols = append(cols, "unaccent(?)")
	args = append(args, strings.Join(t.plain, " "))
	dest = append(dest, &plain)
	if scope.Kind == models.ScopeMember {
		cols = append(cols, `coalesce((SELECT string_agg(l, ' | ') FROM (
			SELECT '''§p' || pm.project_id || '''' AS l FROM project_members pm WHERE pm.user_id = ?
			UNION SELECT '''§n' || p.client_id || '''' FROM projects p JOIN project_members pm ON pm.project_id = p.id WHERE pm.user_id = ?) m), '')`)
		args = append(args, scope.UserID, scope.UserID)
		dest = append(dest, &t.member)
	}
	if err := s.db.WithContext(ctx).Raw("SELECT "+strings.Join(cols, ", "), args...).Row().Scan(dest...); err != nil {
		return t, wrap("search terms", err)
	}
	// unaccent never splits a letter into words; if it did, keep the words.
	if p := strings.Split(plain, " "); len(p) == len(t.plain) {
		t.plain = p
	}
	return t, nil
}

// tsquery is every word's query joined by AND ("" when no word has one).
func (t searchTerms) tsquery() string {
	var parts []string
	for _, w := range t.words {
		if w != "" {
			parts = append(parts, "("+w+")")
		}
	}
	return strings.Join(parts, " & ")
}

// searchSQL is the WHERE of one search: the scope, every word (as a word,
// a stem, a prefix, a substring, or forgiving a typo) and the filters.
type searchSQL struct {
	where     []string
	args      []any
	joinTasks bool
}

func (q *searchSQL) cond(sql string, args ...any) {
	q.where = append(q.where, sql)
	q.args = append(q.args, args...)
}

func buildSearch(a models.Actor, f SearchFilter, terms searchTerms) *searchSQL {
	q := &searchSQL{}
	scope, args := scopeDocs(a.ProjectScope())
	q.cond(scope, args...)
	// The words and the scope's lexemes in one tsquery: the GIN index
	// answers both at once, so only rows in scope are read and ranked.
	lexemes := scopeLexemes(a.ProjectScope(), terms.member, f.ClientID, f.ProjectID)
	if w := terms.tsquery(); w != "" {
		lexemes = append([]string{w}, lexemes...)
	}
	if len(lexemes) > 0 {
		q.cond("d.tsv @@ ?::tsquery", strings.Join(lexemes, " & "))
	}
	for i, w := range f.Query.Words {
		if w.Substring {
			// Letters only (ParseSearch), so nothing in it is a LIKE wildcard.
			// body <> '' is the trigram index's own condition (it holds only
			// texts with such words): the planner cannot infer it from LIKE.
			q.cond("d.body <> '' AND d.body LIKE ?", "%"+terms.plain[i]+"%")
		}
	}
	if f.ClientID != 0 {
		q.cond("d.client_id = ?", f.ClientID)
	}
	if f.ProjectID != 0 {
		q.cond("d.project_id = ?", f.ProjectID)
	}
	if f.cardFilters() {
		q.joinTasks = true
		for col, v := range map[string]any{"t.assignee_id": f.AssigneeID, "t.status": f.Status, "t.kind": f.Kind, "t.priority": f.Priority} {
			if v != int64(0) && v != models.Status("") && v != models.Kind("") && v != models.Priority("") {
				q.cond(col+" = ?", v)
			}
		}
		for _, p := range []struct {
			col  string
			from *models.Date
			to   *models.Date
		}{{"t.created_at", f.CreatedFrom, f.CreatedTo}, {"t.updated_at", f.UpdatedFrom, f.UpdatedTo}} {
			if p.from != nil {
				q.cond(p.col+" >= ?", p.from.Time)
			}
			if p.to != nil {
				q.cond(p.col+" < ?", p.to.AddDate(0, 0, 1))
			}
		}
	}
	return q
}

// from is the FROM and WHERE of the hits.
func (q *searchSQL) from() string {
	join := ""
	if q.joinTasks {
		join = " JOIN tasks t ON t.id = d.task_id"
	}
	return "FROM search_docs d" + join + " WHERE " + strings.Join(q.where, " AND ")
}

// searchQuery is the SQL of one page of hits, ranked, and its arguments:
// the hits' keys, score and count, one row more than the page to tell
// whether another follows.
func (s *Store) searchQuery(ctx context.Context, a models.Actor, f SearchFilter, after *searchCursor, fuzzy bool) (string, []any, string, error) {
	terms, err := s.searchTerms(ctx, a.ProjectScope(), f.Query, fuzzy)
	if err != nil {
		return "", nil, "", err
	}
	q := buildSearch(a, f, terms)
	tsq := terms.tsquery()
	// Ranking reads every hit in scope anyway, so the count comes from the
	// same pass instead of a second read of the first SearchCountCap hits.
	// OFFSET 0 keeps the planner from merging the scored rows into the
	// window: merged, the window buffers every hit with its tsvector (about
	// 500 bytes) and ranks it on the way out; kept apart, the scan ranks
	// each hit and the window holds 60 bytes of it. That took a manager's
	// search from 12.6 to 10.2 ms of the backend's CPU (2,500 hits).
	sql := "SELECT * FROM (SELECT *, count(*) OVER () AS total FROM (SELECT d.source, d.source_id, d.task_id, d.project_id, d.client_id, d.updated_at, " +
		"round(ts_rank(d.tsv, ?::tsquery) * 1000000)::bigint AS score " + q.from() + " OFFSET 0) s) h"
	args := append([]any{tsq}, q.args...)
	if after != nil {
		sql += " WHERE (h.score, h.updated_at, h.source, h.source_id) < (?, ?, ?, ?)"
		args = append(args, after.Score, time.UnixMicro(after.At), after.Source, after.ID)
	}
	sql += " ORDER BY h.score DESC, h.updated_at DESC, h.source DESC, h.source_id DESC LIMIT ?"
	return sql, append(args, f.Limit+1), tsq, nil
}

// searchHitsSQL reads what a page shows of its hits, given as arrays in
// the page's order (sources, source ids, then task and project ids with 0
// for none): the card, the names, the workshop and the snippet. It is a
// statement of its own, not the outer part of searchQuery: its text never
// changes, so PostgreSQL plans its eight tables once per connection and
// then reuses the plan, where the ranking statement, whose tsquery the
// planner must see, is planned on every search. Planning the joins with
// the ranking cost more CPU than the lookups themselves (the backend's CPU
// for a manager's search: 9.6 ms in one statement, 7.4 + 0.6 ms in two).
const searchHitsSQL = `SELECT h.n, pr.name AS project_name, cl.name AS client_name,
		t.id AS card_id, t.number, t.title, t.status, t.kind, t.priority, t.assignee_id, u.name AS assignee_name,
		t.archived_at IS NOT NULL AS archived, ws.id AS workshop_id, ws.starts_at AS workshop_at, wi.title AS item_title,
		ts_headline('russian', CASE h.source WHEN 'comment' THEN cm.body WHEN 'card' THEN t.description
			WHEN 'project' THEN pr.description WHEN 'workshop' THEN ws.notes WHEN 'workshop_internal' THEN ws.internal_notes
			WHEN 'workshop_item' THEN wi.notes || ' ' || wi.decision ELSE '' END, ?::tsquery, ?) AS snippet
	FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS h(source, source_id, task_id, project_id, client_id, n)
	LEFT JOIN tasks t ON t.id = h.task_id
	LEFT JOIN users u ON u.id = t.assignee_id
	LEFT JOIN comments cm ON h.source = 'comment' AND cm.id = h.source_id
	LEFT JOIN projects pr ON pr.id = h.project_id
	LEFT JOIN workshop_items wi ON h.source = 'workshop_item' AND wi.id = h.source_id
	LEFT JOIN workshops ws ON ws.id = CASE WHEN h.source = 'workshop_item' THEN wi.workshop_id
		WHEN h.source IN ('workshop', 'workshop_internal') THEN h.source_id END
	JOIN clients cl ON cl.id = h.client_id
	ORDER BY h.n`

func (s *Store) searchPage(ctx context.Context, a models.Actor, f SearchFilter, after *searchCursor, fuzzy bool) (SearchPage, error) {
	query, args, tsq, err := s.searchQuery(ctx, a, f, after, fuzzy)
	if err != nil {
		return SearchPage{}, err
	}
	page := SearchPage{Items: []SearchHit{}, Fuzzy: fuzzy}
	var ranked []struct {
		SearchHit
		TaskID *int64 `gorm:"column:task_id"`
		Score  int64  `gorm:"column:score"`
		Total  int    `gorm:"column:total"`
	}
	var rows []struct {
		N            int        `gorm:"column:n"`
		ProjectName  *string    `gorm:"column:project_name"`
		ClientName   string     `gorm:"column:client_name"`
		CardID       *int64     `gorm:"column:card_id"`
		Number       int64      `gorm:"column:number"`
		Title        string     `gorm:"column:title"`
		Status       string     `gorm:"column:status"`
		Kind         string     `gorm:"column:kind"`
		Priority     string     `gorm:"column:priority"`
		AssigneeID   *int64     `gorm:"column:assignee_id"`
		AssigneeName *string    `gorm:"column:assignee_name"`
		Archived     bool       `gorm:"column:archived"`
		WorkshopID   *int64     `gorm:"column:workshop_id"`
		WorkshopAt   *time.Time `gorm:"column:workshop_at"`
		ItemTitle    *string    `gorm:"column:item_title"`
		Snippet      string     `gorm:"column:snippet"`
	}
	// Both statements read one snapshot, so the page shows what the ranking
	// found in scope: never a text that turned internal, or a card that
	// moved to another client, in between.
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Raw(query, args...).Scan(&ranked).Error; err != nil {
			return wrap("search", err)
		}
		if len(ranked) == 0 {
			return nil
		}
		if after == nil {
			page.Total = min(ranked[0].Total, SearchCountCap)
		}
		if len(ranked) > f.Limit {
			ranked = ranked[:f.Limit]
			last := ranked[f.Limit-1]
			page.Next = searchCursor{Score: last.Score, At: last.UpdatedAt.UnixMicro(), Source: last.Source, ID: last.SourceID, Fuzzy: fuzzy}.encode()
		}
		sources := make([]string, len(ranked))
		sourceIDs, taskIDs, projectIDs, clientIDs := make([]int64, len(ranked)), make([]int64, len(ranked)), make([]int64, len(ranked)), make([]int64, len(ranked))
		for i, r := range ranked {
			sources[i], sourceIDs[i], clientIDs[i] = r.Source, r.SourceID, r.ClientID
			if r.TaskID != nil {
				taskIDs[i] = *r.TaskID
			}
			if r.ProjectID != nil {
				projectIDs[i] = *r.ProjectID
			}
		}
		// Sources are names of ours (letters and underscores): a literal
		// array needs no quoting.
		err := tx.Raw(searchHitsSQL, tsq, headline, "{"+strings.Join(sources, ",")+"}",
			pgArray(sourceIDs), pgArray(taskIDs), pgArray(projectIDs), pgArray(clientIDs)).Scan(&rows).Error
		return wrap("search hits", err)
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return page, err
	}
	for _, r := range rows {
		hit := ranked[r.N-1].SearchHit
		hit.ClientName, hit.Snippet = r.ClientName, r.Snippet
		if r.ProjectName != nil {
			hit.ProjectName = *r.ProjectName
		}
		if r.CardID != nil {
			hit.Card = &SearchCard{ID: *r.CardID, Number: r.Number, Title: r.Title, Status: models.Status(r.Status),
				Kind: models.Kind(r.Kind), Priority: models.Priority(r.Priority), AssigneeID: r.AssigneeID, Archived: r.Archived}
			if r.AssigneeName != nil {
				hit.Card.AssigneeName = *r.AssigneeName
			}
		}
		if r.WorkshopID != nil && r.WorkshopAt != nil {
			hit.Workshop = &SearchWorkshop{ID: *r.WorkshopID, StartsAt: *r.WorkshopAt}
			if r.ItemTitle != nil {
				hit.Workshop.ItemTitle = *r.ItemTitle
			}
		}
		page.Items = append(page.Items, hit)
	}
	return page, nil
}
