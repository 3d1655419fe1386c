package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/doska/doska/models"
)

// fakeSource is an in-memory event log of projects 1 and 2. Reads of a
// project in slow wait until its channel is closed.
type fakeSource struct {
	mu     sync.Mutex
	events map[int64][]models.Event
	slow   map[int64]chan struct{}
}

func (f *fakeSource) add(n int, size int) int64 { return f.addTo(1, n, size) }

func (f *fakeSource) addTo(project int64, n int, size int) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.events == nil {
		f.events = map[int64][]models.Event{}
	}
	payload, _ := json.Marshal(map[string]string{"pad": strings.Repeat("x", size)})
	for range n {
		seq := int64(len(f.events[project]) + 1)
		f.events[project] = append(f.events[project], models.Event{ProjectID: project, Seq: seq, Kind: models.EventTaskUpdated, Data: payload, ClientData: payload})
	}
	return int64(len(f.events[project]))
}

func (f *fakeSource) wait(project int64) {
	f.mu.Lock()
	gate := f.slow[project]
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
}

func (f *fakeSource) EventsAfter(_ context.Context, project, after int64, limit int) ([]models.Event, error) {
	f.wait(project)
	f.mu.Lock()
	defer f.mu.Unlock()
	log := f.events[project]
	if after >= int64(len(log)) {
		return nil, nil
	}
	end := min(int(after)+limit, len(log))
	return append([]models.Event(nil), log[after:end]...), nil
}

func (f *fakeSource) LatestSeqs(_ context.Context, projects []int64) (map[int64]int64, error) {
	for _, p := range projects {
		f.wait(p)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64]int64{}
	for _, p := range projects {
		out[p] = int64(len(f.events[p]))
	}
	return out, nil
}

// fakeAccess lets the token "u<id>" in as a manager who sees projects 1
// and 2; while slow is open, access checks to project 2 wait for it.
type fakeAccess struct{ slow chan struct{} }

func (fakeAccess) Authenticate(_ context.Context, token string) (Session, error) {
	var id int64
	if _, err := fmt.Sscanf(token, "u%d", &id); err != nil {
		return Session{}, models.ErrUnauthenticated
	}
	return Session{User: models.User{ID: id, Role: models.RoleManager, Active: true}, Expires: time.Now().Add(time.Hour)}, nil
}

func (fakeAccess) Users(_ context.Context, ids []int64) (map[int64]models.User, error) {
	out := map[int64]models.User{}
	for _, id := range ids {
		out[id] = models.User{ID: id, Role: models.RoleManager, Active: true}
	}
	return out, nil
}

func (f fakeAccess) CanSee(_ context.Context, _ models.Actor, project int64) error {
	if project == 2 && f.slow != nil {
		<-f.slow
	}
	if project != 1 && project != 2 {
		return models.ErrNotFound
	}
	return nil
}

func startHub(t *testing.T, src *fakeSource) (*Hub, string) {
	t.Helper()
	return startHubWith(t, src, fakeAccess{})
}

// startHubWith starts a hub and its server, configured by configure.
func startHubWith(t *testing.T, src *fakeSource, acc Access, configure ...func(*http.Server)) (*Hub, string) {
	t.Helper()
	h := NewHub(src, acc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	srv := httptest.NewUnstartedServer(h.Handler(nil, Limits{}))
	for _, c := range configure {
		c(srv.Config)
	}
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		h.Shutdown(context.Background())
		cancel()
		<-done
	})
	return h, "ws" + strings.TrimPrefix(srv.URL, "http")
}

func dialAs(t *testing.T, url string, user int, from int64) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if err := ws.WriteJSON(map[string]any{"type": "auth", "token": fmt.Sprintf("u%d", user), "projects": map[string]int64{"1": from}}); err != nil {
		t.Fatal(err)
	}
	for {
		var f struct{ Type string }
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
		if f.Type == "subscribed" {
			return ws
		}
	}
}

// TestSlowConsumerIsDropped: a socket that stops reading is closed, and
// the others keep receiving every event in order, unslowed.
func TestSlowConsumerIsDropped(t *testing.T) {
	t.Parallel()
	src := &fakeSource{}
	h, url := startHub(t, src)
	slow := dialAs(t, url, 1, 0)
	fast := dialAs(t, url, 2, 0)
	// 200 events a second of 32 kB each for three seconds: easy for a
	// reader, far more than a send queue and the socket buffers hold for a
	// socket that never reads.
	total := int64(600)
	received := make(chan int64, 1)
	go func() {
		var last int64
		for last < total {
			var f struct {
				Type  string
				Event struct{ Seq int64 }
			}
			if err := fast.ReadJSON(&f); err != nil {
				break
			}
			if f.Type == "event" {
				if f.Event.Seq != last+1 {
					t.Errorf("fast reader got seq %d after %d", f.Event.Seq, last)
				}
				last = f.Event.Seq
			}
		}
		received <- last
	}()
	start := time.Now()
	for sent := int64(0); sent < total; {
		sent = src.add(10, 32<<10)
		h.Wake(1, sent)
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case last := <-received:
		if last != total {
			t.Errorf("fast reader got %d of %d events", last, total)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the fast reader was held up")
	}
	// Reading now, the slow socket finds what the buffers held, then the
	// end: a 4408 close frame if it still fit, else the connection simply
	// cut (1006). Either way the server let go of it.
	slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	code := 0
	for {
		_, _, err := slow.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			code = ce.Code
			break
		}
		if err != nil {
			t.Fatalf("slow socket still open: %v", err)
		}
	}
	if code != closeTooSlow && code != websocket.CloseAbnormalClosure {
		t.Errorf("slow socket closed with %d, want %d or 1006", code, closeTooSlow)
	}
	t.Logf("%d events to the fast reader in %v; slow socket dropped (close code %d)", total, time.Since(start).Round(time.Millisecond), code)
}

// TestBadFramesCloseTheSocket: every frame the server cannot read closes
// with 4400, a 1 MiB one too (not gorilla's 1009), before and after auth.
func TestBadFramesCloseTheSocket(t *testing.T) {
	t.Parallel()
	_, url := startHub(t, &fakeSource{})
	big := `{"type":"subscribe","projects":{"1":0},"pad":"` + strings.Repeat("x", 1<<20) + `"}`
	for name, frame := range map[string]string{
		"not json":        "hello",
		"unknown type":    `{"type":"shout"}`,
		"bad positions":   `{"type":"subscribe","projects":{"abc":1}}`,
		"negative seq":    `{"type":"subscribe","projects":{"1":-5}}`,
		"bad project ids": `{"type":"unsubscribe","projects":"all"}`,
		"over 64 KiB":     big,
	} {
		ws := dialAs(t, url, 3, 0)
		if err := ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		if code := closeCode(t, ws); code != closeBadFrame {
			t.Errorf("%s: closed with %d, want %d", name, code, closeBadFrame)
		}
	}
	first, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if err := first.WriteMessage(websocket.TextMessage, []byte(big)); err != nil {
		t.Fatal(err)
	}
	if code := closeCode(t, first); code != closeBadFrame {
		t.Errorf("an auth frame over 64 KiB: closed with %d, want %d", code, closeBadFrame)
	}
}

// closeCode waits for the server to close the socket and returns the code,
// or 0 if the socket ended without one.
func closeCode(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(3 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			t.Logf("not closed with a code: %v", err)
			return 0
		}
	}
}

func TestShutdownSaysGoingAway(t *testing.T) {
	t.Parallel()
	src := &fakeSource{}
	h, url := startHub(t, src)
	ws := dialAs(t, url, 4, 0)
	done := make(chan error, 1)
	go func() { done <- h.Shutdown(context.Background()) }()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Errorf("on shutdown: %v, want close 1001", err)
	}
	ws.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("shutdown did not wait out the socket")
	}
}

// TestSocketLimits: an account may hold PerUser sockets and an address
// PerIP sockets yet to authenticate; one more is closed with 4429, and a
// place freed is taken again.
func TestSocketLimits(t *testing.T) {
	t.Parallel()
	h, _ := startHub(t, &fakeSource{})
	srv := httptest.NewServer(h.Handler(nil, Limits{PerUser: 3, PerIP: 2, ClientIP: func(r *http.Request) string { return r.Header.Get("X-Test-IP") }}))
	t.Cleanup(srv.Close)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	var mine []*websocket.Conn
	for range 3 {
		mine = append(mine, dialAs(t, url, 9, 0))
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(map[string]any{"type": "auth", "token": "u9"}); err != nil {
		t.Fatal(err)
	}
	if code := closeCode(t, ws); code != closeTooMany {
		t.Errorf("a fourth socket of one account: close %d, want %d", code, closeTooMany)
	}
	mine[0].Close()
	time.Sleep(100 * time.Millisecond)
	dialAs(t, url, 9, 0) // the freed place

	silent := func(ip string) *websocket.Conn {
		ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"X-Test-IP": {ip}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		return ws
	}
	silent("192.0.2.1")
	silent("192.0.2.1")
	if code := closeCode(t, silent("192.0.2.1")); code != closeTooMany {
		t.Errorf("a third silent socket from one address: close %d, want %d", code, closeTooMany)
	}
	other := silent("192.0.2.2")
	if err := other.WriteJSON(map[string]any{"type": "auth", "token": "u10"}); err != nil {
		t.Fatal(err)
	}
	var f struct{ Type string }
	if err := other.ReadJSON(&f); err != nil || f.Type != "hello" {
		t.Errorf("another address: %+v %v, want hello", f, err)
	}
}

// TestIdleSocketsHoldOnlyTheirReaders: a socket that follows its projects
// and is sent nothing keeps its reader goroutine and nothing
// more. Every goroutine holds a stack of several kB, so with 10,000 idle
// sockets each one more is tens of megabytes. Not parallel: it counts
// the process's goroutines.
func TestIdleSocketsHoldOnlyTheirReaders(t *testing.T) {
	_, url := startHub(t, &fakeSource{})
	const n = 200
	base := runtime.NumGoroutine()
	for i := range n {
		dialAs(t, url, 1+i%4, 0)
	}
	// The writer and the worker end just after the answer is sent: wait.
	got := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got = runtime.NumGoroutine() - base; got <= n {
			return
		}
	}
	t.Fatalf("%d idle sockets hold %d goroutines; want at most %d (a reader each)", n, got, n)
}
