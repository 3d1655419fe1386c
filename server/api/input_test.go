package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/api"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/pgcluster"
	"github.com/doska/doska/server/store"
)

// TestBadInput sends malformed and invalid bodies: each gets a clear 4xx
// that names the field, and nothing changes.
func TestBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mgr := e.token(e.w.Manager)
	cases := []struct {
		name   string
		r      req
		status int
		field  string
	}{
		{"malformed JSON", req{method: "POST", path: "/api/clients", body: `{"name": `}, 400, "body"},
		{"not an object", req{method: "POST", path: "/api/clients", body: `["Acme"]`}, 400, "body"},
		{"trailing data", req{method: "POST", path: "/api/clients", body: `{"name":"X"} {"name":"Y"}`}, 400, "body"},
		{"unknown field", req{method: "POST", path: "/api/clients", body: `{"name":"X","hourly_rate":1}`}, 400, "hourly_rate"},
		{"mass assignment of id", req{method: "POST", path: "/api/projects", body: `{"client_id":1,"name":"X","id":99}`}, 400, "id"},
		{"wrong type", req{method: "POST", path: "/api/projects", body: `{"client_id":"one","name":"X"}`}, 400, "client_id"},
		{"empty name", req{method: "POST", path: "/api/clients", body: `{"name":"   "}`}, 422, "name"},
		{"name too long", req{method: "POST", path: "/api/clients", body: `{"name":"` + strings.Repeat("n", 201) + `"}`}, 422, "name"},
		{"duplicate client name", req{method: "POST", path: "/api/clients", body: `{"name":"ACME"}`}, 422, "name"},
		{"project without client", req{method: "POST", path: "/api/projects", body: `{"name":"X"}`}, 422, "client_id"},
		{"project of unknown client", req{method: "POST", path: "/api/projects", body: `{"client_id":999,"name":"X"}`}, 422, "client_id"},
		{"client user as member", req{method: "PUT", path: "/api/projects/" + id(e.w.ProjectA.ID) + "/members", body: `{"user_ids":[` + id(e.w.ClientA.ID) + `]}`}, 422, "user_ids"},
		{"invalid e-mail", req{method: "POST", path: "/api/invitations", body: `{"email":"not-an-email","role":"developer"}`}, 422, "email"},
		{"invitee has an account", req{method: "POST", path: "/api/invitations", body: `{"email":"DEV@agency.test","role":"developer"}`}, 422, "email"},
		{"unknown role", req{method: "POST", path: "/api/invitations", body: `{"email":"x@y.test","role":"owner"}`}, 422, "role"},
		{"client user without client", req{method: "POST", path: "/api/invitations", body: `{"email":"x@y.test","role":"client"}`}, 422, "client_id"},
		{"bad id in path", req{method: "GET", path: "/api/projects/abc"}, 400, "id"},
		{"bad query", req{method: "GET", path: "/api/projects?client_id=-1"}, 400, "client_id"},
		{"form-encoded body", req{method: "POST", path: "/api/clients", body: "name=X", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415, ""},
		{"body over 1 MiB", req{method: "POST", path: "/api/clients", body: `{"name":"` + strings.Repeat("x", 2<<20) + `"}`}, 413, ""},
		{"unknown API route", req{method: "GET", path: "/api/nothing-here"}, 404, ""},
		{"negative SLA target", req{method: "PUT", path: "/api/clients/" + id(e.w.A.ID) + "/sla", body: `{"targets":[{"priority":"urgent","first_response_minutes":-5,"resolution_minutes":60}]}`}, 422, "urgent.first_response_minutes"},
		{"SLA target of unknown priority", req{method: "PUT", path: "/api/clients/" + id(e.w.A.ID) + "/sla", body: `{"targets":[{"priority":"asap"}]}`}, 422, "priority"},
		{"SLA report without month", req{method: "GET", path: "/api/clients/" + id(e.w.A.ID) + "/sla-report"}, 422, "month"},
		{"business hours in no zone", req{method: "PUT", path: "/api/business-hours", token: e.token(e.w.Admin), body: `{"days":[1],"start":"09:00","end":"17:00","time_zone":"Mars/Olympus","holidays":[]}`}, 422, "time_zone"},
		{"business day ending before it starts", req{method: "PUT", path: "/api/business-hours", token: e.token(e.w.Admin), body: `{"days":[1],"start":"18:00","end":"09:00","time_zone":"UTC","holidays":[]}`}, 422, "end"},
		{"holiday that is no date", req{method: "PUT", path: "/api/business-hours", token: e.token(e.w.Admin), body: `{"days":[1],"start":"09:00","end":"17:00","time_zone":"UTC","holidays":["24 Dec"]}`}, 422, "holidays"},

		{"search without words", req{method: "GET", path: "/api/search?q=%20-%20"}, 422, "q"},
		{"search too long", req{method: "GET", path: "/api/search?q=" + strings.Repeat("a", 201)}, 422, "q"},
		{"search status", req{method: "GET", path: "/api/search?q=menu&status=closed"}, 422, "status"},
		{"search period", req{method: "GET", path: "/api/search?q=menu&created_from=March"}, 422, "created_from"},
		{"search limit", req{method: "GET", path: "/api/search?q=menu&limit=1000"}, 422, "limit"},
		{"search cursor", req{method: "GET", path: "/api/search?q=menu&cursor=forged"}, 422, "cursor"},
		{"search assignee", req{method: "GET", path: "/api/search?q=menu&assignee_id=x"}, 400, "assignee_id"},
		{"report grouped by week", req{method: "GET", path: "/api/reports/time?group=week"}, 422, "group"},
		{"report from no date", req{method: "GET", path: "/api/reports/time?from=March"}, 400, "from"},
		{"report ending before it starts", req{method: "GET", path: "/api/reports/time.csv?from=2026-11-02&to=2026-11-01"}, 422, "to"},
		{"report over two years", req{method: "GET", path: "/api/reports/time?from=2025-01-01&to=2026-12-31"}, 422, "to"},
		{"report billable maybe", req{method: "GET", path: "/api/reports/time?billable=maybe"}, 400, "billable"},
		{"report in no zone", req{method: "GET", path: "/api/reports/time?tz=Mars/Olympus"}, 400, "tz"},
		{"report of project x", req{method: "GET", path: "/api/reports/time?project_id=x"}, 400, "project_id"},
		{"saved filter off-site", req{method: "POST", path: "/api/saved-filters", body: `{"name":"x","url":"//evil.test/"}`}, 422, "url"},
		{"saved filter without name", req{method: "POST", path: "/api/saved-filters", body: `{"name":" ","url":"/search?q=a"}`}, 422, "name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.r.token == "" {
				c.r.token = mgr
			}
			before := e.snapshot()
			res := e.do(c.r)
			if res.status != c.status {
				t.Fatalf("status %d, want %d: %s", res.status, c.status, res.body)
			}
			fields := res.errorFields(t)
			if c.field != "" && fields[c.field] == "" {
				t.Errorf("error does not name field %q: %s", c.field, res.body)
			}
			if e.snapshot() != before {
				t.Error("a refused request changed the database")
			}
		})
	}
}

// TestFieldProblemCodes: beside the English, each field problem carries a
// stable code and the values its text names, for the web app to say it in
// its user's language.
func TestFieldProblemCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(req{method: "POST", path: "/api/clients", token: e.token(e.w.Manager),
		body: `{"name":"` + strings.Repeat("n", 201) + `"}`})
	var b struct {
		Error struct {
			Fields   map[string]string `json:"fields"`
			Problems map[string]struct {
				Code   string         `json:"code"`
				Params map[string]any `json:"params"`
			} `json:"problems"`
		} `json:"error"`
	}
	res.json(t, &b)
	p := b.Error.Problems["name"]
	if res.status != http.StatusUnprocessableEntity || p.Code != "too_long" || p.Params["max"] != 200.0 || p.Params["length"] != 201.0 {
		t.Errorf("name: problem %+v, want too_long with max 200 and length 201: %s", p, res.body)
	}
	if want := "Shorten it to 200 characters or fewer (it has 201)."; b.Error.Fields["name"] != want {
		t.Errorf("name: English %q, want %q", b.Error.Fields["name"], want)
	}
	res = e.do(req{method: "GET", path: "/api/projects/abc", token: e.token(e.w.Manager)})
	res.json(t, &b)
	if res.status != http.StatusBadRequest || b.Error.Problems["id"].Code != "positive_id" {
		t.Errorf("bad path id: %d %s, want 400 with problem positive_id", res.status, res.body)
	}
}

func TestSecurityHeadersAndCrossSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, path := range []string{"/api/me", "/healthz", "/api/nothing", "/"} {
		res := e.do(req{method: "GET", path: path})
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
		} {
			if got := res.header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if res.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS must not be open", path)
		}
	}
	cross := []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	}
	for _, h := range cross {
		res := e.do(req{method: "POST", path: "/api/auth/logout", header: h})
		if res.status != 403 {
			t.Errorf("logout with %v: %d, want 403", h, res.status)
		}
	}
	same := e.do(req{method: "POST", path: "/api/auth/logout", header: map[string]string{"Origin": testSite}})
	if same.status != 204 {
		t.Errorf("logout from the site's own origin: %d, want 204", same.status)
	}
}

func TestSPANotBuilt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(req{method: "GET", path: "/projects/1"})
	if res.status != 503 || !strings.Contains(string(res.body), "make frontend") {
		t.Errorf("unbuilt UI: %d %q, want 503 telling how to build it", res.status, res.body)
	}
}

// TestDatabaseDownAnswers503: with the database unreachable every request
// gets a JSON 503 with Retry-After, never a 500 or a stack, and /readyz
// says not ready while /healthz still answers.
func TestDatabaseDownAnswers503(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "doska-down")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	_ = os.Chmod(dir, 0o755) // the server runs as another user when tests run as root
	cluster, err := pgcluster.Start(context.Background(), pgcluster.Options{Dir: filepath.Join(dir, "pg")})
	if err != nil {
		t.Fatal(err)
	}
	db, sqlDB, err := store.Open(cluster.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	// The database goes away after Doska started.
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	st := store.New(db, time.Now)
	tokens, _ := auth.NewTokens([]byte("0123456789abcdef0123456789abcdef-test-key"), time.Now)
	e, err := api.New(api.Params{Store: st, Tokens: tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), SiteURL: testSite, Origins: []string{testSite}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	tok, _, _ := tokens.Issue(models.User{ID: 1, Role: models.RoleAdmin, SessionVersion: 1})
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/projects", ""},
		{"POST", "/api/auth/login", `{"email":"a@b.test","password":"whatever it is"}`},
		{"GET", "/readyz", ""},
	} {
		hr, _ := http.NewRequest(r.method, srv.URL+r.path, strings.NewReader(r.body))
		hr.Header.Set("Authorization", "Bearer "+tok)
		if r.body != "" {
			hr.Header.Set("Content-Type", "application/json")
		}
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" || strings.Contains(string(b), ".s.PGSQL") {
			t.Errorf("%s %s with the database down: %d %q %s", r.method, r.path, res.StatusCode, res.Header.Get("Retry-After"), b)
		}
	}
	res, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("healthz with the database down: %d", res.StatusCode)
	}
}

// TestEveryTextFieldRefusesControlCharacters sends a NUL, and a line break
// or an escape, in every text field of every route's body (the fields are
// read from the handlers' source, so a new one cannot be left out): each is
// a 422 naming the field, and nothing changes. PostgreSQL would refuse the
// NUL with a 500 otherwise.
func TestEveryTextFieldRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.w.Admin)
	byHandler, err := api.BodyTextFields()
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]func(fixture) string{}
	for _, mc := range matrix {
		if paths[mc.route] == nil {
			paths[mc.route] = mc.path
		}
	}
	// The admin's own saved filter, for the rename route.
	saved, err := e.store.SaveFilter(context.Background(), e.w.Admin.Actor(), models.SavedFilter{Name: "Probe", URL: "/search?q=menu"})
	if err != nil {
		t.Fatal(err)
	}
	// A draft statement of A's month, for the wording route; issuing it
	// would lock the entries other routes edit.
	now := e.clock.Now()
	from, to := models.Date{Time: now.AddDate(0, 0, -31)}, models.Date{Time: now.AddDate(0, 0, 1)}
	draft, err := e.store.CreateStatement(context.Background(), e.w.Manager.Actor(), e.w.A.ID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	fx := fixture{World: e.w, SavedFilter: saved, Statements: statementFixture{DraftA: draft}}
	probed := map[string]bool{}
	for _, r := range e.echo.Routes() {
		handler := strings.TrimSuffix(r.Name[strings.LastIndex(r.Name, ".")+1:], "-fm")
		route := r.Method + " " + r.Path
		for _, f := range byHandler[handler] {
			bad := []string{"a\x00b", "a\nb"}
			if f.Multiline {
				bad = []string{"a\x00b", "a\x1bb"}
			}
			for _, v := range bad {
				var val any = v
				if f.List {
					val = []string{v}
				}
				probed[route+" "+f.Name] = true
				before := e.snapshot()
				res := e.do(req{method: r.Method, path: paths[route](fx), token: tok, body: nested(f.Name, val)})
				if res.status != 422 || res.errorFields(t)[f.Name] == "" {
					t.Errorf("%s with %q in %s: %d %s, want 422 naming the field", route, v, f.Name, res.status, res.body)
				}
				if e.snapshot() != before {
					t.Errorf("%s with %q in %s changed the database", route, v, f.Name)
				}
			}
		}
	}
	// The fields the issue found, to prove the table is read from the code.
	for _, want := range []string{"POST /api/tasks/:id/comments body", "PATCH /api/comments/:id body",
		"PATCH /api/projects/:id description", "PUT /api/sprints/:week/capacity/:user note", "POST /api/projects/:id/tasks title",
		"PATCH /api/tasks/:id labels", "PATCH /api/me name", "POST /api/invitations/accept name"} {
		if !probed[want] {
			t.Errorf("%s was not probed", want)
		}
	}
	if len(probed) < 30 {
		t.Errorf("only %d text fields probed: %v", len(probed), probed)
	}
	t.Logf("%d text fields probed", len(probed))
}

// nested is the body carrying val at a field's name; "items.0.title" is
// the title of the first element of the list items.
func nested(name string, val any) map[string]any {
	field, rest, ok := strings.Cut(name, ".0.")
	if !ok {
		return map[string]any{name: val}
	}
	return map[string]any{field: []any{nested(rest, val)}}
}

// TestMultiLineTextKeepsLinesAndTabs: the text rule refuses controls, not
// the line breaks and tabs a comment or description is written with.
func TestMultiLineTextKeepsLinesAndTabs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := "First line\n\tindented line"
	res := e.do(req{method: "POST", path: "/api/tasks/" + id(e.w.TaskA.ID) + "/comments", token: e.token(e.w.Dev), body: map[string]string{"body": body}})
	var got models.Comment
	res.json(t, &got)
	if res.status != 201 || got.Body != body {
		t.Errorf("comment with a line break and a tab: %d %q", res.status, got.Body)
	}
}

// TestDisplayNamesCannotImpersonate: names with right-to-left overrides or
// zero-width characters are refused; look-alike wide forms and runs of
// spaces are normalised (PRECIS Nickname), on every route that sets a name.
func TestDisplayNamesCannotImpersonate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.token(e.w.Dev)
	for _, bad := range []string{"Ann\u202eeeL", "A\u200bnn", "Ann\u200d", "Ann\u2066Lee"} {
		for _, r := range []req{
			{method: "PATCH", path: "/api/me", token: me, body: map[string]string{"name": bad}},
			{method: "PATCH", path: "/api/users/" + id(e.w.ClientA.ID), token: e.token(e.w.Admin), body: map[string]string{"name": bad}},
			{method: "POST", path: "/api/invitations/accept", body: map[string]string{"token": "t", "name": bad, "password": "a fine long passphrase"}},
		} {
			before := e.snapshot()
			res := e.do(r)
			if res.status != 422 || res.errorFields(t)["name"] == "" {
				t.Errorf("%s name %q: %d %s, want 422 naming the name", r.path, bad, res.status, res.body)
			}
			if e.snapshot() != before {
				t.Errorf("%s name %q changed the database", r.path, bad)
			}
		}
	}
	res := e.do(req{method: "PATCH", path: "/api/me", token: me, body: map[string]string{"name": "  Ｄｅｖ   Two "}})
	var u models.User
	res.json(t, &u)
	if res.status != 200 || u.Name != "Dev Two" {
		t.Errorf("wide name with spaces: %d %q, want \"Dev Two\"", res.status, u.Name)
	}
}

// TestLongTitleIsRefusedNotCut: a title over the limit is refused with a
// message that names the limit and the length, on creation and on edit,
// and nothing is stored cut short.
func TestLongTitleIsRefusedNotCut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	long := strings.Repeat("Very long title ", 40) // 640 characters
	want := "Shorten it to 300 characters or fewer (it has 639)."
	for _, r := range []req{
		{method: "POST", path: "/api/projects/" + id(e.w.ProjectA.ID) + "/tasks", body: map[string]any{"title": long}},
		{method: "PATCH", path: "/api/tasks/" + id(e.w.TaskA.ID), body: map[string]any{"title": long, "version": e.w.TaskA.Version}},
	} {
		r.token = e.token(e.w.Manager)
		before := e.snapshot()
		res := e.do(r)
		if got := res.errorFields(t)["title"]; res.status != 422 || got != want {
			t.Errorf("%s %s: %d title %q, want 422 %q", r.method, r.path, res.status, got, want)
		}
		if e.snapshot() != before {
			t.Errorf("%s %s: a refused title changed the database", r.method, r.path)
		}
	}
}
