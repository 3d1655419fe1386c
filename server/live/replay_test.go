package live

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// resumer is a socket that resumed from a position and checks that it
// receives every event after it once and in order.
type resumer struct {
	ws         *websocket.Conn
	last       int64
	first      int64
	subscribed bool
	replaying  chan struct{} // closed at the first event
}

func resume(t *testing.T, url string, user int, project, from int64) *resumer {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if err := ws.WriteJSON(map[string]any{"type": "auth", "token": fmt.Sprintf("u%d", user), "projects": map[string]int64{fmt.Sprint(project): from}}); err != nil {
		t.Fatal(err)
	}
	return &resumer{ws: ws, first: from, last: from, replaying: make(chan struct{})}
}

// readUntil reads until the socket is subscribed and has the event
// numbered final(), which is 0 while unknown.
func (r *resumer) readUntil(final func() int64) error {
	for !r.subscribed || final() == 0 || r.last < final() {
		r.ws.SetReadDeadline(time.Now().Add(20 * time.Second))
		var f struct {
			Type  string
			Seq   int64
			Event struct{ Seq int64 }
		}
		if err := r.ws.ReadJSON(&f); err != nil {
			return fmt.Errorf("at seq %d (subscribed %v): %w", r.last, r.subscribed, err)
		}
		switch f.Type {
		case "hello":
		case "event":
			if f.Event.Seq != r.last+1 {
				return fmt.Errorf("seq %d after %d (subscribed %v)", f.Event.Seq, r.last, r.subscribed)
			}
			if r.last == r.first {
				close(r.replaying)
			}
			r.last = f.Event.Seq
		case "subscribed":
			if r.subscribed || f.Seq != r.last {
				return fmt.Errorf("subscribed at %d after seq %d", f.Seq, r.last)
			}
			r.subscribed = true
		default:
			return fmt.Errorf("frame %s", f.Type)
		}
	}
	return nil
}

// TestResumeFarBehind: twenty sockets each 1,000 events behind resume at
// once, on an idle hub and while events keep coming. Each gets every event
// once and in order, then subscribed, then the live ones.
func TestResumeFarBehind(t *testing.T) {
	t.Parallel()
	for _, load := range []bool{false, true} {
		t.Run(fmt.Sprintf("load=%v", load), func(t *testing.T) {
			src := &fakeSource{}
			h, url := startHub(t, src)
			from := int64(100)
			src.add(int(from)+replayMax, 1<<10)
			var final atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, 20)
			resumers := make([]*resumer, 20)
			for i := range resumers {
				r := resume(t, url, 100+i, 1, from)
				resumers[i] = r
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := r.readUntil(final.Load); err != nil {
						errs <- fmt.Errorf("socket %d: %w", i, err)
					}
				}()
			}
			// The load starts once each socket is 1,000 behind and replaying.
			for _, r := range resumers {
				select {
				case <-r.replaying:
				case <-time.After(10 * time.Second):
				}
			}
			stop := make(chan struct{})
			writerDone := make(chan struct{})
			go func() {
				defer close(writerDone)
				for load {
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
					h.Wake(1, src.add(5, 1<<10))
				}
			}()
			// The load runs while the sockets replay.
			time.Sleep(500 * time.Millisecond)
			close(stop)
			<-writerDone
			// One more event reaches every socket, live.
			n := src.add(1, 1<<10)
			final.Store(n)
			h.Wake(1, n)
			wg.Wait()
			close(errs)
			failed := 0
			for err := range errs {
				failed++
				t.Error(err)
			}
			t.Logf("%d of 20 sockets got all %d events from %d once, in order, then subscribed", 20-failed, n-from, from)
		})
	}
}

// TestDispatcherNeverWaitsForTheDatabase: while one socket's access check
// and then one project's events read hang, another project's events still
// reach its socket at once.
func TestDispatcherNeverWaitsForTheDatabase(t *testing.T) {
	t.Parallel()
	src := &fakeSource{slow: map[int64]chan struct{}{}}
	src.addTo(2, 1, 10)
	slowAccess := make(chan struct{})
	h, url := startHubWith(t, src, fakeAccess{slow: slowAccess})
	fast := dialAs(t, url, 1, 0)
	expectLive := func(what string) {
		t.Helper()
		seq := src.add(1, 10)
		h.Wake(1, seq)
		fast.SetReadDeadline(time.Now().Add(time.Second))
		var f struct {
			Type  string
			Event struct{ Seq int64 }
		}
		if err := fast.ReadJSON(&f); err != nil || f.Type != "event" || f.Event.Seq != seq {
			t.Errorf("while %s: got %+v, %v; want event %d within a second", what, f, err, seq)
		}
	}

	stalled := resume(t, url, 2, 2, 0)
	time.Sleep(200 * time.Millisecond) // its access check is under way
	expectLive("an access check hangs")
	close(slowAccess)
	if err := stalled.readUntil(func() int64 { return 1 }); err != nil {
		t.Fatal(err)
	}

	gate := make(chan struct{})
	src.mu.Lock()
	src.slow[2] = gate
	src.mu.Unlock()
	h.Wake(2, src.addTo(2, 1, 10))
	time.Sleep(200 * time.Millisecond) // the read of project 2 is under way
	expectLive("a read of events hangs")
	close(gate)
	if err := stalled.readUntil(func() int64 { return 2 }); err != nil {
		t.Fatal(err)
	}
}
