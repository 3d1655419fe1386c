package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// searchCorpus adds cards and comments in English, Polish, Russian and
// Japanese to the seeded world. Globex (B) holds the only "квартальный";
// the only "ксилофонный" is in an internal comment on Acme's card.
type searchCorpus struct {
	allegro, zadacha, koszyk, kensaku, kvartal models.Task
	internal                                   models.Comment
}

func seedSearch(t *testing.T, st *store.Store, w dbtest.World) searchCorpus {
	t.Helper()
	ctx := context.Background()
	admin := w.Admin.Actor()
	card := func(p models.Project, title, desc string, labels ...string) models.Task {
		t.Helper()
		tk, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID,
			Fields: models.TaskFields{Title: &title, Description: &desc, Labels: &labels}})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	var c searchCorpus
	c.allegro = card(w.ProjectA, "Allegro integration bug", "The deploy of the payment fix fails on staging.", "płatności")
	c.zadacha = card(w.ProjectA, "Задача по импорту заказов", "Проверить выгрузку в 1С.")
	c.koszyk = card(w.ProjectA, "Naprawić koszyk", "Zamówienie nie przechodzi dalej.")
	c.kensaku = card(w.ProjectA, "検索エンジンの設定を変更する", "")
	c.kvartal = card(w.ProjectB, "Квартальный отчёт", "")
	var err error
	if c.internal, err = st.AddComment(ctx, w.Dev.Actor(), c.zadacha.ID, store.NewComment{Body: "Ксилофонный вопрос к бухгалтерии", Internal: true}); err != nil {
		t.Fatal(err)
	}
	if _, err = st.AddComment(ctx, w.Dev.Actor(), c.allegro.ID, store.NewComment{Body: "Deploying it again tomorrow"}); err != nil {
		t.Fatal(err)
	}
	return c
}

func search(t *testing.T, st *store.Store, a models.Actor, q string, f store.SearchFilter) store.SearchPage {
	t.Helper()
	var err error
	if f.Query, err = models.ParseSearch(q); err != nil {
		t.Fatal(err)
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	// What the server's indexer does within a moment of each write.
	if _, err := st.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	page, err := st.Search(context.Background(), a, f)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return page
}

// hits lists a page as "source:card number", e.g. "card:12", "comment:12".
func hits(p store.SearchPage) []string {
	var out []string
	for _, h := range p.Items {
		if h.Card != nil {
			out = append(out, fmt.Sprintf("%s:%d", h.Source, h.Card.Number))
		} else {
			out = append(out, fmt.Sprintf("%s:%d", h.Source, h.SourceID))
		}
	}
	return out
}

// TestSearchLanguages checks each language rule against the four-language
// corpus: exact words, prefixes, Russian and English inflections, typos in
// long words only, Polish without diacritics and Japanese substrings.
func TestSearchLanguages(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	c := seedSearch(t, st, w)
	pm := w.Manager.Actor()
	card := func(tk models.Task) string { return fmt.Sprintf("card:%d", tk.Number) }
	for _, tt := range []struct {
		q     string
		want  string // a hit that must be there; "" for no hits at all
		fuzzy bool
	}{
		{"allegro", card(c.allegro), false},
		{"ALLEGRO integration", card(c.allegro), false},
		{"integ", card(c.allegro), false},                              // English prefix
		{"deploying", card(c.allegro), false},                          // finds "deploy"
		{"deploy", fmt.Sprintf("comment:%d", c.allegro.Number), false}, // finds "deploying"
		{"задачи", card(c.zadacha), false},                             // finds "задача"
		{"заказ", card(c.zadacha), false},                              // finds "заказов"
		{"выгруз", card(c.zadacha), false},                             // Russian prefix
		{"naprawić", card(c.koszyk), false},                            // Polish, exact
		{"zamów", card(c.koszyk), false},                               // Polish prefix
		{"platnosci", card(c.allegro), false},                          // a label, without diacritics
		{"エンジン", card(c.kensaku), false},                               // Japanese inside a sentence
		{"設定", card(c.kensaku), false},                                 // two characters
		{"integraton", card(c.allegro), true},                          // typo in a long word
		{"заказв", card(c.zadacha), true},                              // Russian typo
		{"bgu", "", false},                                             // short words are not forgiven
		{fmt.Sprint(c.koszyk.Number), card(c.koszyk), false},           // the number as a word
	} {
		p := search(t, st, pm, tt.q, store.SearchFilter{})
		got := hits(p)
		if tt.want == "" {
			if len(got) != 0 || p.Total != 0 {
				t.Errorf("%q: got %v (total %d), want nothing", tt.q, got, p.Total)
			}
			continue
		}
		if !slices.Contains(got, tt.want) || p.Fuzzy != tt.fuzzy {
			t.Errorf("%q: got %v fuzzy %v, want %s fuzzy %v", tt.q, got, p.Fuzzy, tt.want, tt.fuzzy)
		}
	}
	// The snippet marks the matched word.
	p := search(t, st, pm, "staging", store.SearchFilter{})
	if len(p.Items) == 0 || !strings.Contains(p.Items[0].Snippet, "fails on \u0002staging\u0003") {
		t.Errorf("snippet: %+v", p.Items)
	}
}

// TestSearchPermissions is the canary: a client never gets a hit or a count
// from another company's cards or from an internal comment, a developer
// only from their projects, and "#n" answers not found alike for a card out
// of scope and one that does not exist.
func TestSearchPermissions(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	c := seedSearch(t, st, w)
	ctx := context.Background()
	for _, tt := range []struct {
		who  models.User
		q    string
		want int
	}{
		{w.Manager, "квартальный", 1},
		{w.ClientB, "квартальный", 1},
		{w.ClientA, "квартальный", 0},
		{w.Dev, "квартальный", 0}, // not on Globex's project
		{w.OtherDev, "квартальный", 1},
		{w.Manager, "ксилофонный", 1},
		{w.Dev, "ксилофонный", 1},
		{w.ClientA, "ксилофонный", 0}, // internal comment on Acme's own card
		{w.ClientA, "ксилофоный", 0},  // nor by a typo
		{w.ClientA, "globex", 0},      // another client's name
		{w.ClientB, "globex", 1},      // its own company
		{w.ClientA, "canary", 0},
	} {
		p := search(t, st, tt.who.Actor(), tt.q, store.SearchFilter{})
		if len(p.Items) != tt.want || p.Total != tt.want {
			t.Errorf("%s searching %q: got %v (total %d), want %d", tt.who.Email, tt.q, hits(p), p.Total, tt.want)
		}
	}
	for _, n := range []int64{c.kvartal.Number, 999999} {
		q, _ := models.ParseSearch(fmt.Sprintf("#%d", n))
		if _, err := st.Search(ctx, w.ClientA.Actor(), store.SearchFilter{Query: q, Limit: 20}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("#%d as Acme's client: %v, want not found", n, err)
		}
	}
	if got := hits(search(t, st, w.ClientB.Actor(), fmt.Sprintf("#%d", c.kvartal.Number), store.SearchFilter{})); !slices.Equal(got, []string{fmt.Sprintf("card:%d", c.kvartal.Number)}) {
		t.Errorf("#n as Globex's client: %v", got)
	}
	// Made public, the comment is found; deleted, it is gone.
	if err := st.DeleteComment(ctx, w.Admin.Actor(), c.internal.ID); err != nil {
		t.Fatal(err)
	}
	if p := search(t, st, w.Manager.Actor(), "ксилофонный", store.SearchFilter{}); len(p.Items) != 0 {
		t.Errorf("deleted comment still found: %v", hits(p))
	}
}

// TestSearchPagingBeforeLimit puts 30 matching cards at Globex and 3 at
// Acme: Acme's client pages through exactly its 3 with a limit of 2, which
// fails if the scope were applied after the LIMIT. Filters narrow the same
// way, and a manager's pages hold every card once.
func TestSearchPagingBeforeLimit(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	admin := w.Admin.Actor()
	for i := range 33 {
		p, title := w.ProjectB, fmt.Sprintf("Rebrand step %d", i)
		if i%11 == 0 {
			p = w.ProjectA
		}
		if _, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID, Fields: models.TaskFields{Title: &title}}); err != nil {
			t.Fatal(err)
		}
	}
	all := func(a models.Actor, f store.SearchFilter) ([]string, int) {
		var got []string
		total := -1
		for {
			p := search(t, st, a, "rebrand", f)
			if total < 0 {
				total = p.Total
			}
			got = append(got, hits(p)...)
			if p.Next == "" {
				return got, total
			}
			f.Cursor = p.Next
		}
	}
	if got, total := all(w.ClientA.Actor(), store.SearchFilter{Limit: 2}); len(got) != 3 || total != 3 {
		t.Errorf("Acme's client: %v (total %d), want 3", got, total)
	}
	got, total := all(w.Manager.Actor(), store.SearchFilter{Limit: 4})
	if len(got) != 33 || total != 33 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 33 {
		t.Errorf("manager: %d hits (total %d), want 33 distinct", len(got), total)
	}
	if got, _ := all(w.Manager.Actor(), store.SearchFilter{Limit: 5, ClientID: w.A.ID}); len(got) != 3 {
		t.Errorf("client filter: %v", got)
	}
	if got, _ := all(w.Manager.Actor(), store.SearchFilter{Limit: 5, Status: models.StatusDone}); len(got) != 0 {
		t.Errorf("status filter: %v", got)
	}
	if _, err := st.Search(ctx, admin, store.SearchFilter{Query: models.SearchQuery{Words: []models.SearchWord{{Text: "x"}}}, Cursor: "nonsense", Limit: 2}); err == nil {
		t.Error("a bad cursor was accepted")
	}
}

// TestSavedFilters: each person keeps their own, by a unique name, with an
// address inside the app; another person's cannot be deleted (not found).
func TestSavedFilters(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm, dev := w.Manager.Actor(), w.Dev.Actor()
	f, err := st.SaveFilter(ctx, pm, models.SavedFilter{Name: " Urgent bugs ", URL: "/search?q=bug&priority=urgent"})
	if err != nil || f.Name != "Urgent bugs" || f.ID == 0 {
		t.Fatalf("save: %+v %v", f, err)
	}
	for _, bad := range []models.SavedFilter{
		{Name: "urgent BUGS", URL: "/search?q=x"},     // the same name
		{Name: "Elsewhere", URL: "//evil.test/x"},     // off-site
		{Name: "Elsewhere", URL: "https://evil.test"}, // off-site
	} {
		var v *models.ValidationError
		if _, err := st.SaveFilter(ctx, pm, bad); !errors.As(err, &v) {
			t.Errorf("%+v: %v, want a validation error", bad, err)
		}
	}
	if _, err := st.SaveFilter(ctx, dev, models.SavedFilter{Name: "Urgent bugs", URL: "/search?q=mine"}); err != nil {
		t.Errorf("another person's name is free: %v", err)
	}
	if list, _ := st.SavedFilters(ctx, dev); len(list) != 1 || list[0].URL != "/search?q=mine" {
		t.Errorf("dev's list: %+v", list)
	}
	// Renamed: trimmed, free among the owner's names only, the owner's alone.
	other, err := st.SaveFilter(ctx, pm, models.SavedFilter{Name: "Board: mine", URL: "/projects/1?assignee=me"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := st.RenameSavedFilter(ctx, pm, other.ID, " My cards "); err != nil || r.Name != "My cards" || r.URL != other.URL {
		t.Errorf("rename: %+v %v", r, err)
	}
	for _, bad := range []string{"", "URGENT bugs"} {
		var v *models.ValidationError
		if _, err := st.RenameSavedFilter(ctx, pm, other.ID, bad); !errors.As(err, &v) || v.Fields["name"].Code() == "" {
			t.Errorf("rename to %q: %v, want a name problem", bad, err)
		}
	}
	if _, err := st.RenameSavedFilter(ctx, dev, other.ID, "Stolen"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("dev renamed the manager's filter: %v", err)
	}
	if err := st.DeleteSavedFilter(ctx, pm, other.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSavedFilter(ctx, dev, f.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("dev deleted the manager's filter: %v", err)
	}
	if err := st.DeleteSavedFilter(ctx, pm, f.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := st.SavedFilters(ctx, pm); len(list) != 0 {
		t.Errorf("after delete: %+v", list)
	}
}

// TestSearchReadsOnlyScope: a search reads the rows the reader may see and
// no others, so a client's search costs what their own company's hits cost
// however much the other companies hold. 30 Globex cards and an internal
// comment at Acme say "zeppelin"; two public Acme cards do too. A Japanese
// word is read from the trigram index alike.
func TestSearchReadsOnlyScope(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	admin := w.Admin.Actor()
	var acme []models.Task
	for i := range 32 {
		p := w.ProjectB
		if i < 2 {
			p = w.ProjectA
		}
		tk, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID, Fields: title(fmt.Sprintf("Zeppelin hangar %d", i))})
		if err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			acme = append(acme, tk)
		}
	}
	if _, err := st.AddComment(ctx, w.Dev.Actor(), acme[0].ID, store.NewComment{Body: "Zeppelin budget is internal", Internal: true}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []models.Project{w.ProjectA, w.ProjectB} {
		if _, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID, Fields: title("飛行船の格納庫を予約する")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.IndexSearch(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		who   models.Actor
		q     string
		f     store.SearchFilter
		fuzzy bool
		want  int
	}{
		{"Acme's client", w.ClientA.Actor(), "zeppelin", store.SearchFilter{}, false, 2},
		{"Acme's client, a typo", w.ClientA.Actor(), "zepelin", store.SearchFilter{}, true, 2},
		{"manager, Acme only", w.Manager.Actor(), "zeppelin", store.SearchFilter{ClientID: w.A.ID}, false, 3},
		{"manager, Acme's project", w.Manager.Actor(), "zeppelin", store.SearchFilter{ProjectID: w.ProjectA.ID}, false, 3},
		{"manager, Japanese", w.Manager.Actor(), "格納庫", store.SearchFilter{}, false, 2},
		// Acme's two cards and the internal comment: not Globex's 30 cards.
		{"Acme's developer", w.Dev.Actor(), "zeppelin", store.SearchFilter{}, false, 3},
		{"Acme's developer, a typo", w.Dev.Actor(), "zepelin", store.SearchFilter{}, true, 3},
	} {
		var err error
		if tt.f.Query, err = models.ParseSearch(tt.q); err != nil {
			t.Fatal(err)
		}
		tt.f.Limit = 20
		read, err := st.SearchDocsRead(ctx, tt.who, tt.f, tt.fuzzy)
		if err != nil {
			t.Fatal(err)
		}
		if read != tt.want {
			t.Errorf("%s searching %q read %d search rows, want %d", tt.name, tt.q, read, tt.want)
		}
	}
}

// TestSearchCountHoldsNoText: the count of a search buffers every hit in
// scope, a manager's thousands for a common word, so what it buffers must be
// the hit's keys and score, never the tsvector the score is made from.
func TestSearchCountHoldsNoText(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	seedSearch(t, st, w)
	for _, who := range []models.Actor{w.Manager.Actor(), w.ClientA.Actor(), w.Dev.Actor()} {
		q, err := models.ParseSearch("allegro deploy")
		if err != nil {
			t.Fatal(err)
		}
		input, err := st.SearchWindowInput(context.Background(), who, store.SearchFilter{Query: q, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(input) == 0 {
			t.Fatalf("%s: no window over the hits in the plan", who.Role)
		}
		for _, col := range input {
			if col == "d.tsv" {
				t.Errorf("%s: the count buffers the tsvector with every hit: %v", who.Role, input)
			}
		}
	}
}

// TestSearchPageStatementIsPlannedOnce: what a page shows of its hits (the
// card, the names, the snippet: eight tables) is read by a statement whose
// text is the same for every search, so PostgreSQL reuses its plan instead
// of planning the joins again on each search. Only the ranking, which
// reads search_docs, changes with the words, the scope and the filters.
func TestSearchPageStatementIsPlannedOnce(t *testing.T) {
	t.Parallel()
	log := &queryLog{}
	st, _, w := dbtest.Traced(t, dbtest.URL(t), log)
	c := seedSearch(t, st, w)
	search(t, st, w.Manager.Actor(), "allegro", store.SearchFilter{})
	search(t, st, w.ClientA.Actor(), "deploy payment", store.SearchFilter{})
	search(t, st, w.Dev.Actor(), "задачи", store.SearchFilter{ProjectID: c.zadacha.ProjectID})
	var page []string
	for _, q := range log.take() {
		if strings.Contains(q.sql, "ts_headline") {
			page = append(page, q.sql)
		}
	}
	if len(page) != 3 {
		t.Fatalf("%d statements read the pages of 3 searches, want 3", len(page))
	}
	for _, sql := range page {
		if sql != page[0] || strings.Contains(sql, "search_docs") {
			t.Fatalf("the page statements differ or rank as well:\n%s\n---\n%s", page[0], sql)
		}
	}
}

// TestSearchWorkshops finds a workshop by its notes and agenda items and
// opens it; a client's user finds only the published workshops of their
// own company, and never an internal note or item, not even as a count.
func TestSearchWorkshops(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	patch := func(ws models.Workshop, p store.WorkshopPatch) models.Workshop {
		t.Helper()
		p.Version = ws.Version
		out, err := st.UpdateWorkshop(ctx, pm, ws.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	text := func(s string) *string { return &s }
	publish := func(ws models.Workshop) models.Workshop {
		t.Helper()
		for _, s := range []models.WorkshopState{models.WorkshopHeld, models.WorkshopPublished} {
			ws = patch(ws, store.WorkshopPatch{State: &s})
		}
		return ws
	}
	acme := patch(newWorkshop(t, st, pm, w.A.ID), store.WorkshopPatch{
		Notes: text("Agreed the pierogi rollout"), InternalNotes: text("Canary xylophone budget"),
		Items: &[]store.ItemInput{{Title: "Newsletter timing", Notes: "Send on Tuesdays"},
			{Title: "Margin talk", Notes: "Kumquat pricing is ours alone", Internal: true}}})
	draft := patch(newWorkshop(t, st, pm, w.A.ID), store.WorkshopPatch{Notes: text("Unpublished walrus plan")})
	globex := newWorkshop(t, st, pm, w.B.ID)
	publish(patch(globex, store.WorkshopPatch{Notes: text("Globex narwhal launch")}))
	type cases = []struct {
		who  models.User
		q    string
		want []string
	}
	check := func(when string, cases cases) {
		t.Helper()
		for _, tt := range cases {
			p := search(t, st, tt.who.Actor(), tt.q, store.SearchFilter{})
			got := hits(p)
			if !slices.Equal(got, tt.want) || p.Total != len(tt.want) {
				t.Errorf("%s: %s searching %q: got %v (total %d), want %v", when, tt.who.Email, tt.q, got, p.Total, tt.want)
			}
		}
	}
	ws := func(source string, id int64) string { return fmt.Sprintf("%s:%d", source, id) }
	check("draft", cases{
		{w.Manager, "pierogi", []string{ws("workshop", acme.ID)}},
		{w.Manager, "xylophone", []string{ws("workshop_internal", acme.ID)}},
		{w.Manager, "kumquat", []string{ws("workshop_item", acme.Items[len(acme.Items)-1].ID)}},
		{w.Dev, "tuesdays", []string{ws("workshop_item", acme.Items[len(acme.Items)-2].ID)}},
		{w.ClientA, "pierogi", nil}, // not published yet
		{w.ClientA, "tuesdays", nil},
		{w.ClientA, "xylophone", nil},
		{w.ClientA, "narwhal", nil}, // Globex's
		{w.ClientB, "narwhal", []string{ws("workshop", globex.ID)}},
		{w.Dev, "narwhal", nil}, // not on Globex's project
	})
	acme = publish(acme)
	check("published", cases{
		{w.ClientA, "pierogi", []string{ws("workshop", acme.ID)}},
		{w.ClientA, "tuesdays", []string{ws("workshop_item", acme.Items[len(acme.Items)-2].ID)}},
		{w.ClientA, "xylophone", nil}, // the canary: internal notes
		{w.ClientA, "xylophon", nil},  // nor as a prefix
		{w.ClientA, "xylophome", nil}, // nor by a typo
		{w.ClientA, "kumquat", nil},   // an internal item
		{w.ClientA, "walrus", nil},    // the draft workshop
		{w.ClientA, "narwhal", nil},
		{w.Manager, "walrus", []string{ws("workshop", draft.ID)}},
	})
	// A hit opens its workshop: an item's hit names it and the item.
	p := search(t, st, w.ClientA.Actor(), "tuesdays", store.SearchFilter{})
	if h := p.Items[0]; h.Workshop == nil || h.Workshop.ID != acme.ID || h.Workshop.ItemTitle != "Newsletter timing" || h.ClientName == "" {
		t.Errorf("item hit: %+v %+v", h, h.Workshop)
	}
	// An item removed from the agenda is gone from search.
	patch(acme, store.WorkshopPatch{Items: &[]store.ItemInput{}})
	check("removed", cases{{w.Manager, "tuesdays", nil}})
}

// pageHook runs then once, just before the next statement that reads a
// search's page (the one with the snippets): between it and the ranking.
type pageHook struct {
	mu   sync.Mutex
	then func()
}

func (h *pageHook) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	h.mu.Lock()
	then := h.then
	if strings.Contains(d.SQL, "ts_headline") {
		h.then = nil
	} else {
		then = nil
	}
	h.mu.Unlock()
	if then != nil {
		then()
	}
	return ctx
}

func (h *pageHook) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestSearchPageReadsTheRankingsSnapshot: a search ranks its hits in one
// statement and reads the page's cards and snippets in a second. A card
// that moved to another client and got that client's words in between is
// shown to the first client as the ranking found it, never with the other
// client's title or description.
func TestSearchPageReadsTheRankingsSnapshot(t *testing.T) {
	t.Parallel()
	hook := &pageHook{}
	st, db, w := dbtest.Traced(t, dbtest.URL(t), hook)
	hook.mu.Lock()
	hook.then = func() {
		err := db.Exec(`UPDATE tasks SET project_id = ?, rank = 'zz' || id, title = 'Globex merger plan', description = 'Globex merger plan' WHERE id = ?`,
			w.ProjectB.ID, w.TaskA.ID).Error
		if err != nil {
			t.Error(err)
		}
	}
	hook.mu.Unlock()
	page := search(t, st, w.ClientA.Actor(), "menu", store.SearchFilter{})
	if len(page.Items) != 1 || page.Items[0].Card == nil {
		t.Fatalf("hits %+v, want the card as ranked", page.Items)
	}
	if hit := page.Items[0]; strings.Contains(hit.Card.Title+hit.Snippet, "Globex") || hit.Card.Title != w.TaskA.Title {
		t.Fatalf("the client was shown %q / %q: another client's words", hit.Card.Title, hit.Snippet)
	}
	var moved int64
	if err := db.Raw(`SELECT project_id FROM tasks WHERE id = ?`, w.TaskA.ID).Scan(&moved).Error; err != nil || moved != w.ProjectB.ID {
		t.Fatalf("the card did not move in between (%d, %v): the test tests nothing", moved, err)
	}
}
