package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/api"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/live"
	"github.com/doska/doska/server/store"
)

// socket is a test client of /api/ws.
type socket struct {
	t  *testing.T
	ws *websocket.Conn
}

type frame struct {
	Type      string          `json:"type"`
	ProjectID int64           `json:"project_id"`
	Seq       int64           `json:"seq"`
	Event     json.RawMessage `json:"event"`
	raw       string
}

func (f frame) event(t *testing.T) models.Event {
	t.Helper()
	var ev models.Event
	if err := json.Unmarshal(f.Event, &ev); err != nil {
		t.Fatalf("event frame %s: %v", f.raw, err)
	}
	return ev
}

func dial(t *testing.T, srvURL, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srvURL, "http")+"/api/ws", h)
}

// connect opens a socket as u, subscribed to projects at the given
// positions, and waits for hello.
func (e *env) connect(u models.User, positions map[int64]int64) *socket {
	return connectTo(e.t, e.srv.URL, e.token(u), positions)
}

func connectTo(t *testing.T, srvURL, token string, positions map[int64]int64) *socket {
	t.Helper()
	ws, _, err := dial(t, srvURL, testSite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	projects := map[string]int64{}
	for p, seq := range positions {
		projects[fmt.Sprint(p)] = seq
	}
	if err := ws.WriteJSON(map[string]any{"type": "auth", "token": token, "projects": projects}); err != nil {
		t.Fatal(err)
	}
	s := &socket{t: t, ws: ws}
	if f := s.next(); f.Type != "hello" {
		t.Fatalf("first frame %s, want hello", f.raw)
	}
	return s
}

// next returns the next frame about projects' events: the doorbells for a
// user's inbox, timer, the team's plan, the list of projects, workshops
// and a client's balance can ring at any time (the fixture's time entries ring late on a busy
// machine) and are skipped.
func (s *socket) next() frame {
	s.t.Helper()
	for {
		f := s.nextAny()
		if f.Type != "notification" && f.Type != "sprint" && f.Type != "projects" && f.Type != "workshop" && f.Type != "time" && f.Type != "balance" {
			return f
		}
	}
}

func (s *socket) nextAny() frame {
	s.t.Helper()
	s.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, raw, err := s.ws.ReadMessage()
	if err != nil {
		s.t.Fatalf("read frame: %v", err)
	}
	var f frame
	if err := json.Unmarshal(raw, &f); err != nil {
		s.t.Fatalf("frame %s: %v", raw, err)
	}
	f.raw = string(raw)
	return f
}

// until reads frames until one of the type arrives, returning the events
// seen before it.
func (s *socket) until(typ string) ([]models.Event, frame) {
	s.t.Helper()
	var events []models.Event
	for {
		f := s.next()
		if f.Type == typ {
			return events, f
		}
		if f.Type == "event" {
			events = append(events, f.event(s.t))
		}
	}
}

// closeCode waits for the server to close the socket and returns the code.
func (s *socket) closeCode(within time.Duration) int {
	s.t.Helper()
	s.ws.SetReadDeadline(time.Now().Add(within))
	for {
		_, _, err := s.ws.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			s.t.Fatalf("socket not closed with a code within %v: %v", within, err)
		}
	}
}

func (e *env) seq(project int64) int64 {
	var n int64
	if err := e.db.Raw("SELECT coalesce((SELECT n FROM project_event_seqs WHERE project_id = ?), 0)", project).Row().Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestSocketInternalCommentsNeverReachClients(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.w.ProjectA.ID
	start := e.seq(p)
	staff := e.connect(e.w.Manager, map[int64]int64{p: start})
	client := e.connect(e.w.ClientA, map[int64]int64{p: start})
	staff.until("subscribed")
	client.until("subscribed")

	ctx := context.Background()
	if _, err := e.store.AddComment(ctx, e.w.Dev.Actor(), e.w.TaskA.ID, store.NewComment{Body: "INTERNAL-ONLY budget talk", Internal: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.AddComment(ctx, e.w.Dev.Actor(), e.w.TaskA.ID, store.NewComment{Body: "Please check staging"}); err != nil {
		t.Fatal(err)
	}
	est := 120
	pest := &est
	if _, err := e.store.UpdateTask(ctx, e.w.Dev.Actor(), e.w.TaskA.ID, e.w.TaskA.Version, models.TaskFields{EstimateMinutes: &pest}); err != nil {
		t.Fatal(err)
	}
	var staffKinds []string
	for range 3 {
		staffKinds = append(staffKinds, string(staff.next().event(t).Kind))
	}
	if strings.Join(staffKinds, ",") != "comment.created,comment.created,task.updated" {
		t.Errorf("staff received %v", staffKinds)
	}
	// The client gets the public comment and the task update, without the
	// estimate; the internal comment's event never arrives, nor its count.
	first := client.next()
	if ev := first.event(t); ev.Kind != models.EventCommentCreated || strings.Contains(first.raw, `"internal":true`) {
		t.Fatalf("client's first frame: %s", first.raw)
	}
	var ce models.CommentEvent
	if err := json.Unmarshal(first.event(t).Data, &ce); err != nil {
		t.Fatal(err)
	}
	if ce.CommentCount != 2 { // the seeded public comment and this one
		t.Errorf("client sees comment_count %d, want 2 (internal ones are not counted)", ce.CommentCount)
	}
	second := client.next()
	if second.event(t).Kind != models.EventTaskUpdated || strings.Contains(second.raw, "estimate_minutes\":120") {
		t.Errorf("client's second frame: %s", second.raw)
	}
	if strings.Contains(first.raw+second.raw, "INTERNAL-ONLY") {
		t.Error("internal text reached the client")
	}
}

func TestSocketRefusesOtherClientsProjects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.connect(e.w.ClientA, map[int64]int64{e.w.ProjectB.ID: 0, e.w.ProjectA.ID: 0})
	got := map[string]bool{}
	for range 2 {
		f := s.next()
		for f.Type == "event" {
			if strings.Contains(f.raw, "CANARY-B") {
				t.Fatalf("client A received B's event: %s", f.raw)
			}
			f = s.next()
		}
		got[fmt.Sprintf("%s %d", f.Type, f.ProjectID)] = true
	}
	if !got[fmt.Sprintf("revoked %d", e.w.ProjectB.ID)] || !got[fmt.Sprintf("subscribed %d", e.w.ProjectA.ID)] {
		t.Errorf("frames %v: want B revoked and A subscribed", got)
	}
}

// TestSocketResumeMissesNothing disconnects a socket, changes the board
// while it is away, and resumes from the last number it had.
func TestSocketResumeMissesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.w.ProjectA.ID
	s := e.connect(e.w.Dev, map[int64]int64{p: e.seq(p)})
	s.until("subscribed")
	tk, err := e.store.CreateTask(ctx, e.w.Dev.Actor(), store.NewTask{ProjectID: p, Fields: title("seen live")})
	if err != nil {
		t.Fatal(err)
	}
	last := s.next().event(t).Seq
	s.ws.Close() // forced disconnect

	for i, status := range []models.Status{models.StatusInProgress, models.StatusAwaitingReply, models.StatusApproval, models.StatusDone} {
		if tk, err = e.store.MoveTask(ctx, e.w.Dev.Actor(), tk.ID, store.TaskMove{Version: tk.Version, Status: status,
			Move: models.MoveInput{Question: "Which colour?", StagingURL: "https://staging.acme.test/"}}); err != nil {
			t.Fatalf("move %d: %v", i, err)
		}
	}
	// Four moves and the question asked on the way through awaiting reply.
	resumed := e.connect(e.w.Dev, map[int64]int64{p: last})
	events, sub := resumed.until("subscribed")
	var kinds []string
	for i, ev := range events {
		kinds = append(kinds, string(ev.Kind))
		if ev.Seq != last+int64(i)+1 {
			t.Errorf("replayed seq %d at %d, want %d", ev.Seq, i, last+int64(i)+1)
		}
	}
	if got := strings.Join(kinds, ","); got != "task.moved,task.moved,comment.created,task.moved,task.moved" {
		t.Fatalf("replayed %s", got)
	}
	if sub.Seq != last+5 {
		t.Errorf("subscribed at %d, want %d", sub.Seq, last+5)
	}
	// And live again after the replay.
	if _, err := e.store.MoveTask(ctx, e.w.Dev.Actor(), tk.ID, store.TaskMove{Version: tk.Version, Status: models.StatusSet}); err != nil {
		t.Fatal(err)
	}
	if ev := resumed.next().event(t); ev.Seq != last+6 || ev.Kind != models.EventTaskMoved {
		t.Errorf("live after resume: %+v", ev)
	}
}

func TestSocketTooFarBehindOrAheadResyncs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.w.ProjectA.ID
	s := e.connect(e.w.Dev, map[int64]int64{p: e.seq(p) + 50})
	if f := s.next(); f.Type != "resync" || f.ProjectID != p {
		t.Errorf("a position beyond the newest event: %s, want resync", f.raw)
	}
	e.db.Exec("UPDATE project_event_seqs SET n = n + 2000 WHERE project_id = ?", p)
	s2 := e.connect(e.w.Dev, map[int64]int64{p: 1})
	if f := s2.next(); f.Type != "resync" {
		t.Errorf("2000 events behind: %s, want resync", f.raw)
	}
}

func TestSocketAuthAndOrigin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, res, err := dial(t, e.srv.URL, "https://evil.example"); err == nil || res == nil || res.StatusCode != 403 {
		t.Errorf("foreign Origin: %v, want 403", err)
	}
	if _, res, err := dial(t, e.srv.URL, "null"); err == nil || res == nil || res.StatusCode != 403 {
		t.Errorf("null Origin: %v, want 403", err)
	}
	ws, _, err := dial(t, e.srv.URL, testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(map[string]any{"type": "auth", "token": "forged.token.here"}); err != nil {
		t.Fatal(err)
	}
	s := &socket{t: t, ws: ws}
	if code := s.closeCode(2 * time.Second); code != 4401 {
		t.Errorf("bad token: close %d, want 4401", code)
	}
	silent, _, err := dial(t, e.srv.URL, testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	if code := (&socket{t: t, ws: silent}).closeCode(7 * time.Second); code != 4401 {
		t.Errorf("no auth frame: close %d, want 4401", code)
	}
}

func TestSocketClosedOnDeactivation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.connect(e.w.Dev, map[int64]int64{e.w.ProjectA.ID: e.seq(e.w.ProjectA.ID)})
	s.until("subscribed")
	off := false
	start := time.Now()
	if _, err := e.store.UpdateUser(context.Background(), e.w.Admin.Actor(), e.w.Dev.ID, store.UserPatch{Active: &off}); err != nil {
		t.Fatal(err)
	}
	if code := s.closeCode(time.Second); code != 4401 {
		t.Errorf("close code %d, want 4401", code)
	}
	t.Logf("socket closed %v after deactivation", time.Since(start).Round(time.Millisecond))
}

func TestSocketLosesProjectWhenRemovedFromIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.w.ProjectA.ID
	s := e.connect(e.w.Dev, map[int64]int64{p: e.seq(p)})
	s.until("subscribed")
	if _, err := e.store.SetMembers(context.Background(), e.w.Manager.Actor(), p, []int64{e.w.OtherDev.ID}); err != nil {
		t.Fatal(err)
	}
	if _, f := s.until("revoked"); f.ProjectID != p {
		t.Errorf("revoked %d, want %d", f.ProjectID, p)
	}
	if _, err := e.store.CreateTask(context.Background(), e.w.Manager.Actor(), store.NewTask{ProjectID: p, Fields: title("after removal")}); err != nil {
		t.Fatal(err)
	}
	s.ws.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	for {
		_, raw, err := s.ws.ReadMessage()
		if err != nil {
			break
		}
		if strings.Contains(string(raw), `"type":"event"`) {
			t.Errorf("a removed member still receives: %s", raw)
		}
	}
}

// TestTwoInstancesShareEvents runs a second Doska on the same database: a
// change made through one reaches a socket on the other.
func TestTwoInstancesShareEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, srv2 := e.instance()

	p := e.w.ProjectA.ID
	on2 := connectTo(t, srv2.URL, e.token(e.w.ClientA), map[int64]int64{p: e.seq(p)})
	on2.until("subscribed")
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", e.w.TaskA.ID), token: e.token(e.w.Dev),
		body: map[string]any{"version": e.w.TaskA.Version, "status": "in_progress"}})
	if res.status != 200 {
		t.Fatalf("move on instance 1: %d %s", res.status, res.body)
	}
	ev := on2.next().event(t)
	var te models.TaskEvent
	if err := json.Unmarshal(ev.Data, &te); err != nil {
		t.Fatal(err)
	}
	if ev.Kind != models.EventTaskMoved || te.Task.ID != e.w.TaskA.ID || te.Task.Status != models.StatusInProgress {
		t.Errorf("instance 2 delivered %+v", ev)
	}
}

func title(s string) models.TaskFields { return models.TaskFields{Title: &s} }

func TestSocketAnnouncesNotifications(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.connect(e.w.ClientA, nil)
	tk := e.w.TaskA
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: e.token(e.w.Dev),
		body: map[string]any{"version": tk.Version, "status": "awaiting_reply", "question": "Which menu colour?"}})
	if res.status != 200 {
		t.Fatalf("ask: %d %s", res.status, res.body)
	}
	for {
		f := s.nextAny()
		if f.Type == "notification" {
			return
		}
		if f.Type != "projects" && f.Type != "workshop" && f.Type != "balance" { // the seed's, late
			t.Fatalf("client socket got %s, want a notification frame", f.raw)
		}
	}
}

// TestListenerReconnectCatchesUp kills the listener's database session
// (as a PostgreSQL restart would) and commits a change while it is gone:
// that NOTIFY is lost, so the hub must catch up from the events table when
// the listener is back.
func TestListenerReconnectCatchesUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.w.ProjectA.ID
	s := e.connect(e.w.Dev, map[int64]int64{p: e.seq(p)})
	s.until("subscribed")
	var killed int
	if err := e.db.Raw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`).Row().Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 1 {
		t.Fatalf("terminated %d listener sessions, want 1", killed)
	}
	if _, err := e.store.CreateTask(context.Background(), e.w.Dev.Actor(), store.NewTask{ProjectID: p, Fields: title("while the listener was away")}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	s.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if ev := s.next().event(t); ev.Kind != models.EventTaskCreated {
		t.Errorf("after the reconnect: %s", ev.Kind)
	}
	t.Logf("delivered %v after the commit", time.Since(start).Round(time.Millisecond))
}

// TestDeactivationReachesTheOtherInstance: a second instance has the user's
// row cached; deactivating the user through the first must end its access
// there too, as soon as the users doorbell rings.
func TestDeactivationReachesTheOtherInstance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, srv2 := e.instance()
	get := func() int {
		r, _ := http.NewRequest("GET", srv2.URL+"/api/me", nil)
		r.Header.Set("Authorization", "Bearer "+e.token(e.w.Dev))
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(); code != 200 {
		t.Fatalf("before: %d", code)
	}
	off := e.do(req{method: "PATCH", path: fmt.Sprintf("/api/users/%d", e.w.Dev.ID), token: e.token(e.w.Admin), body: map[string]bool{"active": false}})
	if off.status != 200 {
		t.Fatalf("deactivate: %d", off.status)
	}
	start := time.Now()
	for get() != 401 {
		if time.Since(start) > 2*time.Second {
			t.Fatal("the other instance still lets the deactivated user in")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("refused on the other instance %v after the deactivation", time.Since(start).Round(time.Millisecond))
}

// TestSocketProjectsDoorbell: a new project rings the sockets of staff and
// of its client's users, so their lists across projects read themselves
// again; another client's users hear nothing of it.
func TestSocketProjectsDoorbell(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sockets := map[string]*socket{}
	for _, u := range []models.User{e.w.Manager, e.w.Dev, e.w.ClientA, e.w.ClientB} {
		sockets[u.Email] = e.connect(u, nil)
	}
	doorbell := func(s *socket, who string) {
		t.Helper()
		for {
			f := s.nextAny()
			if f.Type == "projects" {
				return
			}
			if f.Type != "notification" && f.Type != "sprint" && f.Type != "workshop" && f.Type != "balance" { // the seed's, late
				t.Fatalf("%s: frame %s, want projects", who, f.raw)
			}
		}
	}
	admin := e.token(e.w.Admin)
	create := func(client int64, name string) {
		t.Helper()
		res := e.do(req{method: "POST", path: "/api/projects", token: admin, body: map[string]any{"client_id": client, "name": name}})
		if res.status != 201 {
			t.Fatalf("create project: %d %s", res.status, res.body)
		}
	}
	create(e.w.A.ID, "Acme app")
	for _, u := range []models.User{e.w.Manager, e.w.Dev, e.w.ClientA} {
		doorbell(sockets[u.Email], u.Email)
	}
	// B's first doorbell is for B's own project, and it is the only one.
	create(e.w.B.ID, "CANARY-B app")
	b := sockets[e.w.ClientB.Email]
	doorbell(b, "client B")
	b.ws.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	for {
		_, raw, err := b.ws.ReadMessage()
		if err != nil {
			break
		}
		if strings.Contains(string(raw), `"projects"`) {
			t.Errorf("client B got another projects frame: %s", raw)
		}
	}
}

// TestSocketLimitPerAddressBelievesOnlyTrustedProxies: sockets yet to
// authenticate are counted per address as the HTTP API names it, so a
// rotated X-Forwarded-For dodges nothing unless it comes from a trusted
// proxy.
func TestSocketLimitPerAddressBelievesOnlyTrustedProxies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hub := live.NewHub(e.store, auth.LiveAccess(auth.NewSessions(e.tokens, e.store, nil), e.store), slog.New(slog.NewJSONHandler(e.logs, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { hub.Run(ctx); close(done) }()
	defer func() { hub.Shutdown(context.Background()); cancel(); <-done }()
	for _, tc := range []struct {
		proxies []netip.Prefix
		refused bool
	}{{nil, true}, {[]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, false}} {
		srv := httptest.NewServer(hub.Handler(nil, live.Limits{PerIP: 2, ClientIP: api.ClientIP(tc.proxies)}))
		var code int
		for i := range 3 {
			ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i+1)}})
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			if i == 2 {
				ws.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
				_, _, err := ws.ReadMessage()
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					code = ce.Code
				}
			}
		}
		if refused := code == 4429; refused != tc.refused {
			t.Errorf("proxies %v: third address closed with %d; refused %v, want %v", tc.proxies, code, refused, tc.refused)
		}
		srv.Close()
	}
}

// TestRefreshReuseEndsAccessEverywhere: when a reused refresh token revokes
// its family, the access token issued just before stops working at once
// on every instance, and sockets signed in with it close with 4401.
func TestRefreshReuseEndsAccessEverywhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, srv2 := e.instance()
	_, ck := e.login(e.w.Dev.Email, dbtest.Password, nil)
	res, _ := e.refresh(ck.Value)
	if res.status != 200 {
		t.Fatalf("refresh: %d %s", res.status, res.body)
	}
	stolen := accessToken(t, res)
	me := func(srvURL string) int {
		r, _ := http.NewRequest("GET", srvURL+"/api/me", nil)
		r.Header.Set("Authorization", "Bearer "+stolen)
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Both instances have the user's row cached and a socket open.
	p := e.w.ProjectA.ID
	var sockets []*socket
	for _, srvURL := range []string{e.srv.URL, srv2.URL} {
		if code := me(srvURL); code != 200 {
			t.Fatalf("before: %d", code)
		}
		s := connectTo(t, srvURL, stolen, map[int64]int64{p: e.seq(p)})
		s.until("subscribed")
		sockets = append(sockets, s)
	}
	e.clock.Advance(11 * time.Second)
	if res, _ := e.refresh(ck.Value); res.status != 401 {
		t.Fatalf("reused refresh token: %d, want 401", res.status)
	}
	if code := me(e.srv.URL); code != 401 {
		t.Errorf("the instance that saw the reuse still accepts the access token: %d", code)
	}
	start := time.Now()
	for me(srv2.URL) != 401 {
		if time.Since(start) > 2*time.Second {
			t.Fatal("the other instance still accepts the access token")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for i, s := range sockets {
		if code := s.closeCode(2 * time.Second); code != 4401 {
			t.Errorf("socket on instance %d: close %d, want 4401", i+1, code)
		}
	}
	t.Logf("refused on the other instance %v after the reuse", time.Since(start).Round(time.Millisecond))
}

// TestSocketBalanceDoorbell: a billable entry on A's project rings A's
// client and the staff, never B's client.
func TestSocketBalanceDoorbell(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// The seed's entries ring A's balance too: let those pass before the
	// sockets open.
	time.Sleep(time.Second)
	a, b := e.connect(e.w.ClientA, nil), e.connect(e.w.ClientB, nil)
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/time", e.w.TaskA.ID), token: e.token(e.w.Dev),
		body: map[string]any{"started_at": "2026-12-01T09:00:00Z", "minutes": 30}})
	if res.status != 201 {
		t.Fatalf("add entry: %d %s", res.status, res.body)
	}
	for {
		if f := a.nextAny(); f.Type == "balance" {
			if !strings.Contains(f.raw, fmt.Sprintf(`"client_id":%d`, e.w.A.ID)) {
				t.Fatalf("client A: %s", f.raw)
			}
			break
		}
	}
	b.ws.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	for {
		_, raw, err := b.ws.ReadMessage()
		if err != nil {
			break
		}
		if strings.Contains(string(raw), fmt.Sprintf(`"client_id":%d`, e.w.A.ID)) {
			t.Errorf("client B got A's frame: %s", raw)
		}
	}
}
