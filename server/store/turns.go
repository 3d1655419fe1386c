package store

import (
	"context"
	"sync/atomic"
)

// turns bounds how many commands run at once. On one board every command
// ends by taking its project's event counter and holds it until its commit
// is on disk; with many more commands in flight than the database has
// cores, the one holding the counter waits for a core behind the others,
// and the waiters crowd PostgreSQL's lock manager. Waiting here costs a
// goroutine instead, and reads are not held back. The zero value lets
// everything through.
type turns struct {
	slots   chan struct{}
	waiting atomic.Int64
}

// LimitCommands lets at most n commands run at once (n < 1: no limit).
// Call it before the store is used.
func (s *Store) LimitCommands(n int) {
	s.writers.slots = nil
	if n > 0 {
		s.writers.slots = make(chan struct{}, n)
	}
}

// CommandsWaiting is how many commands wait for their turn now.
func (s *Store) CommandsWaiting() int64 { return s.writers.waiting.Load() }

// take waits for a turn, or until ctx ends; release gives it back.
func (t *turns) take(ctx context.Context) (release func(), err error) {
	if t.slots == nil {
		return func() {}, nil
	}
	select {
	case t.slots <- struct{}{}:
	default:
		t.waiting.Add(1)
		defer t.waiting.Add(-1)
		select {
		case t.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return func() { <-t.slots }, nil
}
