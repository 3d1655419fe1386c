package store

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Listener receives the database's doorbells on a dedicated connection
// (never a pooled one: LISTEN belongs to a session). After every
// (re)connect it calls Connected, since notifications sent while it was
// away are lost and the caller must catch up from the tables.
type Listener struct {
	DSN          string
	Log          *slog.Logger
	Event        func(project, seq int64)
	User         func(userID int64)
	Notification func(userID int64)
	Time         func(userID int64)
	Sprint       func(week string)
	Projects     func(clientID int64)
	Workshop     func(clientID, workshopID int64)
	Balance      func(clientID int64)
	Search       func() // on SearchChannel and on every event
	Connected    func()

	up         atomic.Bool
	reconnects atomic.Int64
}

// Healthy reports whether the listener is connected and listening.
func (l *Listener) Healthy() bool { return l.up.Load() }

// Reconnects counts the connections lost and tried again since start: a
// rising count means notifications were missed and clients caught up.
func (l *Listener) Reconnects() int64 { return l.reconnects.Load() }

// Run listens until ctx ends, reconnecting with backoff.
func (l *Listener) Run(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for {
		err := l.listen(ctx)
		l.up.Store(false)
		if ctx.Err() != nil {
			return nil //nolint:nilerr // the connection ended because we were told to stop
		}
		l.reconnects.Add(1)
		l.Log.Warn("listener: connection lost, reconnecting", "err", err, "in_ms", backoff.Milliseconds())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (l *Listener) listen(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, l.DSN)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, ch := range []string{EventsChannel, UsersChannel, NotificationsChannel, SprintsChannel, ProjectsChannel, WorkshopsChannel, TimeChannel, BalanceChannel, SearchChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	l.up.Store(true)
	l.Connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		switch n.Channel {
		case EventsChannel:
			p, s, ok := strings.Cut(n.Payload, ":")
			project, err1 := strconv.ParseInt(p, 10, 64)
			seq, err2 := strconv.ParseInt(s, 10, 64)
			if !ok || errors.Join(err1, err2) != nil {
				l.Log.Warn("listener: bad payload", "payload", n.Payload)
				continue
			}
			l.Event(project, seq)
			// A card's or a comment's text changes with an event, which
			// rings the indexer instead of a doska_search of its own
			// (migration 00031).
			l.Search()
		case UsersChannel:
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				l.User(id)
			}
		case NotificationsChannel:
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				l.Notification(id)
			}
		case TimeChannel:
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				l.Time(id)
			}
		case SprintsChannel:
			l.Sprint(n.Payload)
		case ProjectsChannel:
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				l.Projects(id)
			}
		case WorkshopsChannel:
			c, w, _ := strings.Cut(n.Payload, ":")
			client, err1 := strconv.ParseInt(c, 10, 64)
			workshop, err2 := strconv.ParseInt(w, 10, 64)
			if errors.Join(err1, err2) == nil {
				l.Workshop(client, workshop)
			}
		case BalanceChannel:
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				l.Balance(id)
			}
		case SearchChannel:
			l.Search()
		}
	}
}
