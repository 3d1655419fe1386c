package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// TestSweepKeepsLiveSessions: the hourly sweep removes dead refresh tokens
// and nothing a signed-in person still uses.
func TestSweepKeepsLiveSessions(t *testing.T) {
	t.Parallel()
	now := time.Now()
	clock := func() time.Time { return now }
	st := store.New(dbtest.New(t), clock)
	w := dbtest.Seed(t, st)
	ctx := context.Background()
	if _, err := st.StartSession(ctx, w.Dev.ID, auth.HashToken("live")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.StartSession(ctx, w.Dev.ID, auth.HashToken("dead")); err != nil {
		t.Fatal(err)
	}
	if err := st.EndSession(ctx, auth.HashToken("dead")); err != nil {
		t.Fatal(err)
	}
	now = now.Add(8 * 24 * time.Hour)
	if err := st.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	var left []string
	st.DB().Raw("SELECT encode(token_hash, 'hex') FROM refresh_tokens").Scan(&left)
	if len(left) != 1 {
		t.Fatalf("%d tokens left after the sweep, want only the live one", len(left))
	}
	if _, err := st.RotateSession(ctx, auth.HashToken("live"), auth.HashToken("next")); err != nil {
		t.Errorf("the live session no longer refreshes: %v", err)
	}
}
