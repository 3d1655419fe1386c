package reclaim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

// retained is the heap Go holds but does not use: free to reuse, yet
// resident unless returned.
func retained() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapIdle - m.HeapReleased
}

// TestQuietServerReturnsFreeMemory: after a request that left 64 MiB of
// garbage, the server returns it within a few quiet periods, well before
// the runtime's own scavenger would.
func TestQuietServerReturnsFreeMemory(t *testing.T) {
	q := New(50 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	var left uint64 // what the burst left, measured while it is still in flight
	burst := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		chunks := make([][]byte, 256)
		for i := range chunks {
			chunks[i] = make([]byte, 256<<10)
			for j := 0; j < len(chunks[i]); j += 4096 {
				chunks[i][j] = 1 // touch every page, as real work does
			}
		}
		runtime.GC()
		left = retained()
	})
	q.Handler(burst).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if left < 32<<20 {
		t.Skipf("the runtime kept only %d MiB after the burst: nothing to measure", left>>20)
	}
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if retained() < 16<<20 {
			return
		}
	}
	t.Fatalf("a second after the last request the heap still keeps %d MiB of free memory", retained()>>20)
}

// TestIdleServerIsLeftAlone: with no request since the last reclaim, Run
// does not collect again.
func TestIdleServerIsLeftAlone(t *testing.T) {
	q := New(10 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	time.Sleep(100 * time.Millisecond)
	cancel()
	<-done
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.NumForcedGC != before.NumForcedGC {
		t.Errorf("%d forced collections without a request", after.NumForcedGC-before.NumForcedGC)
	}
}

// TestOpenSocketsDoNotHoldOffTheReclaim: a websocket's request lasts as
// long as its page; with one open, a quiet server still reclaims.
func TestOpenSocketsDoNotHoldOffTheReclaim(t *testing.T) {
	q := New(10 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	closed, opened := make(chan struct{}), make(chan struct{})
	defer close(closed)
	socket := httptest.NewRequest("GET", "/api/live", nil)
	socket.Header.Set("Upgrade", "websocket")
	go q.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(opened)
		<-closed
	})).ServeHTTP(httptest.NewRecorder(), socket)
	<-opened

	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	q.Handler(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var now runtime.MemStats
		runtime.ReadMemStats(&now)
		if now.NumForcedGC > before.NumForcedGC {
			return
		}
	}
	t.Fatal("an open socket kept the quiet server from reclaiming")
}
