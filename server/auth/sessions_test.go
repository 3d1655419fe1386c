package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestReadBeforeRevocationIsNotCached: an instance reads a user's row
// while another deactivates the user. Once the change is announced, the
// row read before it is not cached: the ended access token is refused at
// once, not until the cached row expires.
func TestReadBeforeRevocationIsNotCached(t *testing.T) {
	t.Parallel()
	dsn := dbtest.URL(t)
	db, sqlDB, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	st := store.New(db, time.Now)
	w := dbtest.Seed(t, st)
	tokens, err := auth.NewTokens([]byte("0123456789abcdef0123456789abcdef-test-key"), time.Now)
	if err != nil {
		t.Fatal(err)
	}

	// This instance: its session cache, trusted while its listener hears
	// the users channel.
	var listener *store.Listener
	sessions := auth.NewSessions(tokens, st, func() bool { return listener.Healthy() })
	announced := make(chan int64, 10)
	listener = &store.Listener{DSN: dsn, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Event: func(int64, int64) {}, Notification: func(int64) {}, Time: func(int64) {}, Sprint: func(string) {}, Projects: func(int64) {}, Workshop: func(int64, int64) {}, Balance: func(int64) {}, Search: func() {},
		User:      func(id int64) { sessions.Forget(id); announced <- id },
		Connected: sessions.ForgetAll}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { listener.Run(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
	for deadline := time.Now().Add(10 * time.Second); !listener.Healthy(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("listener did not connect")
		}
	}

	token, _, err := tokens.Issue(w.Dev)
	if err != nil {
		t.Fatal(err)
	}
	read, resume := make(chan struct{}), make(chan struct{})
	var once sync.Once
	auth.PauseAfterRead(sessions, func(int64) {
		once.Do(func() {
			close(read)
			<-resume
		})
	})
	first := make(chan error, 1)
	go func() {
		_, _, err := sessions.Authenticate(ctx, token)
		first <- err
	}()
	<-read // the row as it was, session valid

	// Another instance deactivates the user; this one hears of it.
	off := false
	if _, err := st.UpdateUser(ctx, w.Admin.Actor(), w.Dev.ID, store.UserPatch{Active: &off}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-announced:
	case <-time.After(5 * time.Second):
		t.Fatal("the deactivation was not announced")
	}
	close(resume)
	// The request that began before the deactivation may still pass.
	if err := <-first; err != nil {
		t.Logf("the request under way: %v", err)
	}
	if _, _, err := sessions.Authenticate(ctx, token); !errors.Is(err, models.ErrUnauthenticated) {
		t.Errorf("after the deactivation was announced: %v, want unauthenticated", err)
	}
}
