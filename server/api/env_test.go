package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/api"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/files"
	"github.com/doska/doska/server/live"
	"github.com/doska/doska/server/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// clock is a settable time source shared by the store and the tokens.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one test's Doska: a fresh database, the seeded World and the HTTP
// interface under httptest.
type env struct {
	t        *testing.T
	dsn      string
	db       *gorm.DB
	store    *store.Store
	tokens   *auth.Tokens
	clock    *clock
	echo     *echo.Echo
	srv      *httptest.Server
	w        dbtest.World
	logs     *syncBuffer
	files    *files.Bucket // every instance's attachments, in filesDir
	filesDir string
}

const testSite = "http://doska.test"

var jwtPattern = regexp.MustCompile(`eyJ[\w-]{8,}\.[\w-]{8,}\.`)

func newEnv(t *testing.T) *env {
	t.Helper()
	dsn := dbtest.URL(t)
	db, sqlDB, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	clk := &clock{t: time.Now().UTC()}
	st := store.New(db, clk.Now)
	tokens, err := auth.NewTokens([]byte("0123456789abcdef0123456789abcdef-test-key"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bucket, err := files.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dsn: dsn, db: db, store: st, tokens: tokens, clock: clk, logs: &syncBuffer{}, files: bucket, filesDir: dir}
	e.echo, e.srv = e.instance()
	t.Cleanup(func() {
		// No token may ever reach a log line (ASVS V14.2.1): checked after
		// every test that runs a server.
		if jwtPattern.MatchString(e.logs.String()) {
			t.Errorf("an access token was logged")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", e.logs.String())
		}
	})
	e.w = dbtest.Seed(t, st)
	return e
}

// instance starts a Doska on the test's database, as another replica would
// run: its own store, session cache, hub, listener and HTTP server, all
// stopped when the test ends.
func (e *env) instance() (*echo.Echo, *httptest.Server) {
	t := e.t
	t.Helper()
	log := slog.New(slog.NewJSONHandler(e.logs, nil))
	st := store.New(e.db, e.clock.Now)
	var listener *store.Listener
	sessions := auth.NewSessions(e.tokens, st, func() bool { return listener.Healthy() })
	hub := live.NewHub(st, auth.LiveAccess(sessions, st), log)
	listener = &store.Listener{DSN: e.dsn, Log: log, Event: hub.Wake, Notification: hub.Notify, Time: hub.TimeChanged, Sprint: hub.SprintChanged, Projects: hub.ProjectsChanged, Workshop: hub.WorkshopChanged, Balance: hub.BalanceChanged, Search: func() {},
		User:      func(id int64) { sessions.Forget(id); hub.UserChanged(id) },
		Connected: func() { sessions.ForgetAll(); hub.CatchUp() }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { hub.Run(ctx); done <- struct{}{} }()
	go func() { listener.Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() {
		hub.Shutdown(context.Background())
		cancel()
		<-done
		<-done
	})
	waitListening(t, listener)
	h, err := api.New(api.Params{Store: st, Tokens: e.tokens, Sessions: sessions, Log: log,
		SiteURL: testSite, Origins: []string{testSite}, Live: hub.Handler([]string{testSite}, live.Limits{}), Now: e.clock.Now, Files: e.files, Mail: testComposer})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

// token issues an access token for u as sign-in would.
func (e *env) token(u models.User) string {
	e.t.Helper()
	tok, _, err := e.tokens.Issue(u)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// conflict is the code of a 409's reason ("" for another answer).
func (r response) conflict(t *testing.T) string {
	t.Helper()
	var b struct {
		Error struct {
			Conflict struct {
				Code string `json:"code"`
			} `json:"conflict"`
		} `json:"error"`
	}
	if r.status != http.StatusConflict {
		return ""
	}
	r.json(t, &b)
	return b.Error.Conflict.Code
}

// errorFields returns the fields of an error answer.
func (r response) errorFields(t *testing.T) map[string]string {
	t.Helper()
	var b struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	r.json(t, &b)
	if b.Error.Code == "" || b.RequestID == "" {
		t.Fatalf("error answer without code or request_id: %s", r.body)
	}
	return b.Error.Fields
}

type req struct {
	method, path, token string
	body                any // string = raw JSON; anything else is encoded
	header              map[string]string
}

func (e *env) do(r req) response {
	e.t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		body = bytes.NewReader(buf)
	}
	hr, err := http.NewRequestWithContext(context.Background(), r.method, e.srv.URL+r.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.StatusCode >= 400 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		e.checkErrorMessages(r, b)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// snapshot is a digest of every row of every table, to prove that a
// refused request changed nothing.
func (e *env) snapshot() string {
	e.t.Helper()
	var tables []string
	if err := e.db.Raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('goose_db_version', 'auth_throttle') ORDER BY 1`).Scan(&tables).Error; err != nil {
		e.t.Fatal(err)
	}
	var sb strings.Builder
	for _, tb := range tables {
		var digest string
		q := `SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "` + tb + `" t`
		if err := e.db.Raw(q).Row().Scan(&digest); err != nil {
			e.t.Fatal(err)
		}
		sb.WriteString(tb + "=" + digest + ";")
	}
	return sb.String()
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitListening waits for the listener's LISTEN: tests that count on live
// delivery must not commit before it.
func waitListening(t *testing.T, l *store.Listener) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !l.Healthy(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("listener did not connect")
		}
	}
}

// checkErrorMessages fails the test when an error answer a test received
// carries a message that is not a whole sentence saying what to do, or a
// field without a problem code the web app has text for (every code of
// models.ProblemKinds has, see its test): every test that meets an error
// checks its wording too.
func (e *env) checkErrorMessages(r req, body []byte) {
	e.t.Helper()
	var b struct {
		Error struct {
			Code     string `json:"code"`
			Message  string `json:"message"`
			Conflict *struct {
				Code string `json:"code"`
			} `json:"conflict"`
			Fields   map[string]string `json:"fields"`
			Problems map[string]struct {
				Code string `json:"code"`
			} `json:"problems"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &b) != nil {
		return // not an error answer; the test itself says what it wants
	}
	where := r.method + " " + r.path
	checkSentence(e.t, where, b.Error.Message)
	if b.Error.Code == "conflict" && (b.Error.Conflict == nil || !known(models.ConflictKinds(), b.Error.Conflict.Code)) {
		e.t.Errorf("%s: a conflict without a code of models.ConflictKinds: %s", where, body)
	}
	for field, msg := range b.Error.Fields {
		checkSentence(e.t, where+" "+field, msg)
		if code := b.Error.Problems[field].Code; !known(models.ProblemKinds(), code) {
			e.t.Errorf("%s %s: problem code %q is not one of models.ProblemKinds", where, field, code)
		}
	}
}

func known(kinds []*models.ProblemKind, code string) bool {
	for _, k := range kinds {
		if k.Code() == code {
			return true
		}
	}
	return false
}
