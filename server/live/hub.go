package live

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/doska/doska/models"
)

// EventSource is where the hub reads committed events (the store).
type EventSource interface {
	EventsAfter(ctx context.Context, project, after int64, limit int) ([]models.Event, error)
	LatestSeqs(ctx context.Context, projects []int64) (map[int64]int64, error)
}

// Session is an authenticated socket's user and when its token expires.
type Session struct {
	User    models.User
	Expires time.Time
}

// Access authenticates sockets and answers who may see what, from the
// database, at the moment of asking.
type Access interface {
	Authenticate(ctx context.Context, token string) (Session, error)
	// Users reloads users by ID: the hub checks their sessions still hold.
	Users(ctx context.Context, ids []int64) (map[int64]models.User, error)
	CanSee(ctx context.Context, a models.Actor, project int64) error
}

// Hub fans committed events out to the sockets allowed to see them. One
// dispatcher goroutine owns the subscriptions and sends every frame, so a
// socket receives a project's events in order, replay included.
type Hub struct {
	src       EventSource
	acc       Access
	log       *slog.Logger
	pollEvery time.Duration

	cmds    chan func(context.Context)
	woken   chan struct{}
	stopped chan struct{}

	mu      sync.Mutex
	pending map[int64]int64 // project → highest announced seq, not yet delivered
	users   map[int64]bool  // users whose sessions changed
	all     map[*conn]struct{}
	wg      sync.WaitGroup

	// Dispatcher state.
	projects map[int64]*projectState
	byUser   map[int64]map[*conn]struct{}
}

type projectState struct {
	last  int64 // the highest seq delivered to this project's subscribers
	conns map[*conn]struct{}
}

// maxSubscriptions bounds the projects one socket follows (the team board
// follows every project of the agency).
const maxSubscriptions = 5000

// NewHub returns a hub reading events from src.
func NewHub(src EventSource, acc Access, log *slog.Logger) *Hub {
	return &Hub{src: src, acc: acc, log: log, pollEvery: 5 * time.Second,
		cmds: make(chan func(context.Context), 1024), woken: make(chan struct{}, 1), stopped: make(chan struct{}),
		pending: map[int64]int64{}, users: map[int64]bool{}, all: map[*conn]struct{}{},
		projects: map[int64]*projectState{}, byUser: map[int64]map[*conn]struct{}{}}
}

// Wake announces that project has committed events up to seq. It never
// blocks: wakes are merged until the dispatcher gets to them.
func (h *Hub) Wake(project, seq int64) {
	h.mu.Lock()
	if seq > h.pending[project] {
		h.pending[project] = seq
	}
	h.mu.Unlock()
	h.ring()
}

// UserChanged announces that a user's account or sessions changed
// (deactivated, password changed, role changed): their sockets are checked
// again at once and closed if the session ended.
func (h *Hub) UserChanged(userID int64) {
	h.mu.Lock()
	h.users[userID] = true
	h.mu.Unlock()
	h.ring()
}

// Notify tells a user's open sockets that a notification arrived; the SPA
// then reads its inbox.
func (h *Hub) Notify(userID int64) {
	h.do(func(context.Context) {
		for c := range h.byUser[userID] {
			c.enqueue(notificationFrame)
		}
	})
}

var notificationFrame = encode(struct {
	Type string `json:"type"`
}{"notification"})

// SprintChanged tells every staff socket that a week's plan changed in a
// way task events do not carry (capacities, closing): planning screens
// showing that week reload it.
func (h *Hub) SprintChanged(week string) {
	frame := encode(struct {
		Type string `json:"type"`
		Week string `json:"week"`
	}{"sprint", week})
	h.do(func(context.Context) {
		for _, conns := range h.byUser {
			for c := range conns {
				if c.user.Role.Staff() {
					c.enqueue(frame)
				}
			}
		}
	})
}

// ProjectsChanged tells the sockets of staff and of the client's users
// that the client's projects changed (added, archived, renamed, other
// members): lists across projects read themselves again.
func (h *Hub) ProjectsChanged(clientID int64) {
	h.do(func(context.Context) {
		for _, conns := range h.byUser {
			for c := range conns {
				if c.user.Role.Staff() || (c.user.ClientID != nil && *c.user.ClientID == clientID) {
					c.enqueue(projectsFrame)
				}
			}
		}
	})
}

var projectsFrame = encode(struct {
	Type string `json:"type"`
}{"projects"})

// CatchUp makes the hub compare what it delivered with the database, for
// when notifications may have been missed (the listener reconnected).
func (h *Hub) CatchUp() {
	h.do(func(ctx context.Context) { h.poll(ctx) })
}

func (h *Hub) ring() {
	select {
	case h.woken <- struct{}{}:
	default:
	}
}

// do runs cmd on the dispatcher; once the hub has stopped it is dropped.
func (h *Hub) do(cmd func(context.Context)) {
	select {
	case h.cmds <- cmd:
	case <-h.stopped:
	}
}

// Run dispatches until ctx ends. It is the only goroutine touching the
// subscriptions.
func (h *Hub) Run(ctx context.Context) error {
	defer close(h.stopped)
	poll := time.NewTicker(h.pollEvery)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case cmd := <-h.cmds:
			cmd(ctx)
		case <-h.woken:
			h.dispatch(ctx)
		case <-poll.C:
			// The safety net: a missed notification costs at most this long.
			h.poll(ctx)
		}
	}
}

func (h *Hub) dispatch(ctx context.Context) {
	h.mu.Lock()
	pending, users := h.pending, h.users
	h.pending, h.users = map[int64]int64{}, map[int64]bool{}
	h.mu.Unlock()
	if len(users) > 0 {
		ids := make([]int64, 0, len(users))
		for id := range users {
			ids = append(ids, id)
		}
		h.recheckUsers(ctx, ids)
	}
	for project, seq := range pending {
		if st := h.projects[project]; st != nil && seq > st.last {
			h.deliver(ctx, project, st)
		}
	}
}

func (h *Hub) poll(ctx context.Context) {
	// A missed users notification must not leave a deactivated user's
	// socket open: their sessions are checked on every poll too.
	if len(h.byUser) > 0 {
		ids := make([]int64, 0, len(h.byUser))
		for id := range h.byUser {
			ids = append(ids, id)
		}
		h.recheckUsers(ctx, ids)
	}
	if len(h.projects) == 0 {
		return
	}
	ids := make([]int64, 0, len(h.projects))
	for id := range h.projects {
		ids = append(ids, id)
	}
	latest, err := h.src.LatestSeqs(ctx, ids)
	if err != nil {
		h.log.Warn("live: poll", "err", err)
		return
	}
	for id, n := range latest {
		if st := h.projects[id]; st != nil && n > st.last {
			h.deliver(ctx, id, st)
		}
	}
}

// deliver sends a project's events after st.last to its subscribers, each
// event encoded once per audience.
func (h *Hub) deliver(ctx context.Context, project int64, st *projectState) {
	for {
		events, err := h.src.EventsAfter(ctx, project, st.last, 500)
		if err != nil {
			h.log.Warn("live: read events", "project_id", project, "err", err)
			return
		}
		for _, ev := range events {
			if ev.Kind == models.EventProjectUpdated {
				// Members may have changed: only those still allowed stay.
				h.recheckProject(ctx, project, st)
			}
			staff := encode(eventFrame{Type: "event", Event: ev})
			var client []byte
			if ce, ok := ev.For(models.Actor{Role: models.RoleClient}); ok {
				client = encode(eventFrame{Type: "event", Event: ce})
			}
			for c := range st.conns {
				switch {
				case c.user.Role.Staff():
					c.enqueue(staff)
				case client != nil:
					c.enqueue(client)
				}
			}
			st.last = ev.Seq
		}
		if len(events) < 500 {
			return
		}
	}
}

func (h *Hub) register(c *conn, pos positions) {
	h.mu.Lock()
	h.all[c] = struct{}{}
	h.mu.Unlock()
	h.do(func(ctx context.Context) {
		if h.byUser[c.userID] == nil {
			h.byUser[c.userID] = map[*conn]struct{}{}
		}
		h.byUser[c.userID][c] = struct{}{}
		h.subscribe(ctx, c, pos)
	})
}

func (h *Hub) unregister(c *conn) {
	h.mu.Lock()
	delete(h.all, c)
	h.mu.Unlock()
	h.do(func(context.Context) {
		for p := range c.projects {
			h.drop(c, p)
		}
		delete(h.byUser[c.userID], c)
		if len(h.byUser[c.userID]) == 0 {
			delete(h.byUser, c.userID)
		}
	})
}

// subscribe adds the socket to each project it may see, after replaying
// what it missed since the position it gave; a socket too far behind is
// told to reload the snapshot instead.
func (h *Hub) subscribe(ctx context.Context, c *conn, pos positions) {
	if c.closed() {
		return
	}
	if len(c.projects)+len(pos) > maxSubscriptions {
		c.enqueue(encode(errorFrame{Type: "error", Message: "too many subscriptions"}))
		return
	}
	ids := make([]int64, 0, len(pos))
	for p := range pos {
		ids = append(ids, p)
	}
	latest, err := h.src.LatestSeqs(ctx, ids)
	if err != nil {
		h.log.Warn("live: subscribe", "err", err)
		c.close(closeTooSlow, "temporarily unavailable: reconnect")
		return
	}
	for p, last := range pos {
		if err := h.acc.CanSee(ctx, c.user.Actor(), p); err != nil {
			if !errors.Is(err, models.ErrNotFound) {
				h.log.Warn("live: access", "project_id", p, "err", err)
			}
			c.enqueue(encode(projectFrame{Type: "revoked", ProjectID: p}))
			continue
		}
		st := h.projects[p]
		if st == nil {
			st = &projectState{last: latest[p], conns: map[*conn]struct{}{}}
			h.projects[p] = st
		} else if latest[p] > st.last {
			h.deliver(ctx, p, st)
		}
		if last > latest[p] || st.last-last > replayMax {
			c.enqueue(encode(projectFrame{Type: "resync", ProjectID: p}))
			if len(st.conns) == 0 {
				delete(h.projects, p)
			}
			continue
		}
		if !h.replay(ctx, c, p, last, st.last) {
			return
		}
		st.conns[c] = struct{}{}
		c.projects[p] = true
		c.enqueue(encode(projectFrame{Type: "subscribed", ProjectID: p, Seq: st.last}))
	}
}

func (h *Hub) replay(ctx context.Context, c *conn, project, from, to int64) bool {
	for from < to {
		events, err := h.src.EventsAfter(ctx, project, from, 500)
		if err != nil {
			h.log.Warn("live: replay", "project_id", project, "err", err)
			c.close(closeTooSlow, "temporarily unavailable: reconnect")
			return false
		}
		if len(events) == 0 {
			break
		}
		for _, ev := range events {
			if ev.Seq > to {
				return true
			}
			if v, ok := ev.For(c.user.Actor()); ok {
				c.enqueue(encode(eventFrame{Type: "event", Event: v}))
			}
			from = ev.Seq
		}
	}
	return true
}

func (h *Hub) unsubscribe(c *conn, ids []int64) {
	h.do(func(context.Context) {
		for _, p := range ids {
			h.drop(c, p)
		}
	})
}

func (h *Hub) drop(c *conn, p int64) {
	delete(c.projects, p)
	if st := h.projects[p]; st != nil {
		delete(st.conns, c)
		if len(st.conns) == 0 {
			delete(h.projects, p)
		}
	}
}

// recheckProject removes the sockets that may no longer see the project.
func (h *Hub) recheckProject(ctx context.Context, p int64, st *projectState) {
	for c := range st.conns {
		if err := h.acc.CanSee(ctx, c.user.Actor(), p); err != nil {
			h.drop(c, p)
			c.enqueue(encode(projectFrame{Type: "revoked", ProjectID: p}))
		}
	}
}

// recheckUsers closes the sockets whose session ended, and drops the
// projects a user may no longer see after a role change.
func (h *Hub) recheckUsers(ctx context.Context, ids []int64) {
	users, err := h.acc.Users(ctx, ids)
	if err != nil {
		h.log.Warn("live: recheck users", "err", err)
		return
	}
	for _, id := range ids {
		u, found := users[id]
		for c := range h.byUser[id] {
			if !found || !u.SessionValid(c.user.SessionVersion) {
				c.close(closeUnauthenticated, "session ended")
				continue
			}
			if u.Role == c.user.Role && u.UpdatedAt.Equal(c.user.UpdatedAt) {
				continue
			}
			c.user = u
			for p := range c.projects {
				if err := h.acc.CanSee(ctx, u.Actor(), p); err != nil {
					h.drop(c, p)
					c.enqueue(encode(projectFrame{Type: "revoked", ProjectID: p}))
				}
			}
		}
	}
}

// Shutdown tells every socket the server is going away (close 1001) and
// waits for their writers to finish, or for ctx.
func (h *Hub) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	for c := range h.all {
		c.close(1001, "server shutting down")
	}
	h.mu.Unlock()
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
