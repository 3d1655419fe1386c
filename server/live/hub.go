package live

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
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

// Hub fans committed events out to the sockets allowed to see them.
//
// One dispatcher goroutine owns the subscriptions and decides what every
// socket receives, but never waits for the database: its reads run on
// goroutines of their own and post the results back as commands, so one slow
// query delays only the project or socket it is for. Per project at most one
// read of new events is in flight, and a socket is attached to a project
// only between reads, at the seq its replay reached: each socket receives a
// project's events once and in order, replay included.
//
// Each socket has a worker goroutine that serves its subscribe frames: it
// checks access, replays what the socket missed and answers, all at the
// pace the socket reads, and then asks the dispatcher to attach it.
type Hub struct {
	src       EventSource
	acc       Access
	log       *slog.Logger
	pollEvery time.Duration

	cmds    chan func(context.Context)
	woken   chan struct{}
	stopped chan struct{}
	// reads bounds the workers' queries at once, so a crowd of sockets
	// resuming together (after a restart) leaves the pool to requests.
	reads chan struct{}
	jobs  sync.WaitGroup // the dispatcher's reads

	mu      sync.Mutex
	pending map[int64]int64 // project → highest announced seq, not yet delivered
	users   map[int64]bool  // users whose sessions changed
	all     map[*conn]struct{}
	wg      sync.WaitGroup
	// Open sockets by user, and those yet to authenticate by address.
	signedIn, waiting map[any]int

	// Dispatcher state.
	projects map[int64]*projectState
	byUser   map[int64]map[*conn]struct{}
	checking bool           // a read of users is in flight
	recheck  map[int64]bool // users to read again after it
	polling  bool
}

type projectState struct {
	last int64 // the highest seq fanned out to this project's subscribers
	// conns maps each subscriber to the seq its replay reached: events up
	// to it are not sent again.
	conns   map[*conn]int64
	reading bool // a read of new events is in flight
	behind  bool // more was announced while reading
	waiting []attachment
}

// attachment is a worker asking for its socket to go live on a project.
type attachment struct {
	c     *conn
	at    int64        // the last seq the socket has
	user  *models.User // as the worker checked access
	reply chan attached
}

// attached answers an attachment: replay up to resume first, or check
// access again since the account changed; neither means done.
type attached struct {
	resume  int64
	recheck bool
}

// maxSubscriptions bounds the projects one socket follows (the team board
// follows every project of the agency).
const maxSubscriptions = 5000

// fanoutPage is how many new events the dispatcher reads at a time.
const fanoutPage = 500

// NewHub returns a hub reading events from src.
func NewHub(src EventSource, acc Access, log *slog.Logger) *Hub {
	return &Hub{src: src, acc: acc, log: log, pollEvery: 5 * time.Second,
		cmds: make(chan func(context.Context), 1024), woken: make(chan struct{}, 1), stopped: make(chan struct{}),
		reads:   make(chan struct{}, 8),
		pending: map[int64]int64{}, users: map[int64]bool{}, all: map[*conn]struct{}{},
		signedIn: map[any]int{}, waiting: map[any]int{},
		projects: map[int64]*projectState{}, byUser: map[int64]map[*conn]struct{}{}, recheck: map[int64]bool{}}
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
func (h *Hub) Notify(userID int64) { h.tellUser(userID, notificationFrame) }

// TimeChanged tells a user's open sockets that their timer or time entries
// changed; the SPA then reads its timer, so it follows them across tabs.
func (h *Hub) TimeChanged(userID int64) { h.tellUser(userID, timeFrame) }

func (h *Hub) tellUser(userID int64, frame []byte) {
	h.do(func(context.Context) {
		for c := range h.byUser[userID] {
			c.enqueue(frame)
		}
	})
}

var (
	notificationFrame = encode(struct {
		Type string `json:"type"`
	}{"notification"})
	timeFrame = encode(struct {
		Type string `json:"type"`
	}{"time"})
)

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
				if c.staff {
					c.enqueue(frame)
				}
			}
		}
	})
}

// ProjectsChanged tells the sockets of staff and of the client's users
// that the client's projects changed (added, archived, renamed, other
// members): lists across projects read themselves again.
func (h *Hub) ProjectsChanged(clientID int64) { h.toStaffAndClient(clientID, projectsFrame) }

// toStaffAndClient sends a frame to every staff socket and to the sockets
// of the client's users.
func (h *Hub) toStaffAndClient(clientID int64, frame []byte) {
	h.do(func(context.Context) {
		for _, conns := range h.byUser {
			for c := range conns {
				if u := c.user.Load(); c.staff || (u.ClientID != nil && *u.ClientID == clientID) {
					c.enqueue(frame)
				}
			}
		}
	})
}

var projectsFrame = encode(struct {
	Type string `json:"type"`
}{"projects"})

// WorkshopChanged tells the sockets of staff and of the client's users
// that one of the client's workshops changed. The frame names it and
// carries nothing else: an open page reads it again over HTTP, as its
// reader may see it, so no internal note can travel on the socket.
func (h *Hub) WorkshopChanged(clientID, workshopID int64) {
	frame := encode(struct {
		Type       string `json:"type"`
		ClientID   int64  `json:"client_id"`
		WorkshopID int64  `json:"workshop_id"`
	}{"workshop", clientID, workshopID})
	h.toStaffAndClient(clientID, frame)
}

// BalanceChanged tells the sockets of staff and of the client's users
// that the client's hour packages or billable time changed. Like the
// workshop frame it names the client only: an open page reads the balance
// again, with or without amounts as its reader may see them.
func (h *Hub) BalanceChanged(clientID int64) {
	frame := encode(struct {
		Type     string `json:"type"`
		ClientID int64  `json:"client_id"`
	}{"balance", clientID})
	h.toStaffAndClient(clientID, frame)
}

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

// Stats is the hub's load at one moment.
type Stats struct {
	Sockets  int // open sockets, signed in or not yet
	Commands int // work waiting for the dispatcher
	Frames   int // frames queued for sockets' writers, all sockets together
}

// Stats reads the hub's load for operators.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := Stats{Sockets: len(h.all), Commands: len(h.cmds)}
	for c := range h.all {
		st.Frames += len(c.send)
	}
	return st
}

// Run dispatches until ctx ends. It is the only goroutine touching the
// subscriptions.
func (h *Hub) Run(ctx context.Context) error {
	// Reads still running post their results to a hub that has stopped,
	// which drops them.
	defer h.jobs.Wait()
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
		h.checkUsers(ctx, slices.Collect(maps.Keys(users)))
	}
	for project, seq := range pending {
		if st := h.projects[project]; st != nil && seq > st.last {
			h.read(ctx, project, st)
		}
	}
}

func (h *Hub) poll(ctx context.Context) {
	// A missed users notification must not leave a deactivated user's
	// socket open: their sessions are checked on every poll too.
	if len(h.byUser) > 0 {
		h.checkUsers(ctx, slices.Collect(maps.Keys(h.byUser)))
	}
	if len(h.projects) == 0 || h.polling {
		return
	}
	h.polling = true
	ids := slices.Collect(maps.Keys(h.projects))
	h.background(func() {
		latest, err := h.src.LatestSeqs(ctx, ids)
		if err != nil {
			h.log.Warn("live: poll", "err", err)
		}
		h.do(func(ctx context.Context) {
			h.polling = false
			for id, n := range latest {
				if st := h.projects[id]; st != nil && n > st.last {
					h.read(ctx, id, st)
				}
			}
		})
	})
}

// background runs a read of the dispatcher on a goroutine of its own.
func (h *Hub) background(read func()) {
	h.jobs.Add(1)
	go func() {
		defer h.jobs.Done()
		read()
	}()
}

// read fetches the project's events after st.last off the dispatcher, and
// fans them out when they arrive. Should members have changed, who may
// still see the project is read along with them, for the sockets attached
// now: no socket attaches while a read is in flight.
func (h *Hub) read(ctx context.Context, project int64, st *projectState) {
	if st.reading {
		st.behind = true
		return
	}
	st.reading, st.behind = true, false
	from := st.last
	actors := map[int64]models.Actor{}
	for c := range st.conns {
		actors[c.userID] = c.user.Load().Actor()
	}
	h.background(func() {
		events, err := h.src.EventsAfter(ctx, project, from, fanoutPage)
		var denied map[int64]bool
		if err == nil && slices.ContainsFunc(events, func(ev models.Event) bool { return ev.Kind == models.EventProjectUpdated }) {
			denied = h.denied(ctx, project, actors)
		}
		h.do(func(ctx context.Context) { h.deliver(ctx, project, st, events, denied, err) })
	})
}

// denied returns the users among actors who may no longer see the project.
func (h *Hub) denied(ctx context.Context, project int64, actors map[int64]models.Actor) map[int64]bool {
	out := map[int64]bool{}
	for id, a := range actors {
		if err := h.acc.CanSee(ctx, a, project); err != nil {
			if !errors.Is(err, models.ErrNotFound) {
				h.log.Warn("live: access", "project_id", project, "err", err)
			}
			out[id] = true
		}
	}
	return out
}

// deliver sends a read's events to the project's subscribers, each event
// encoded once per audience, then attaches the sockets that waited for it.
func (h *Hub) deliver(ctx context.Context, project int64, st *projectState, events []models.Event, denied map[int64]bool, err error) {
	if err != nil {
		h.log.Warn("live: read events", "project_id", project, "err", err)
	}
	for _, ev := range events {
		if ev.Kind == models.EventProjectUpdated {
			for c := range st.conns {
				if denied[c.userID] {
					h.drop(c, project)
					c.enqueue(encode(projectFrame{Type: "revoked", ProjectID: project}))
				}
			}
		}
		staff := encode(eventFrame{Type: "event", Event: ev})
		var client []byte
		if ce, ok := ev.For(models.Actor{Role: models.RoleClient}); ok {
			client = encode(eventFrame{Type: "event", Event: ce})
		}
		for c, had := range st.conns {
			switch {
			case ev.Seq <= had:
			case c.staff:
				c.enqueue(staff)
			case client != nil:
				c.enqueue(client)
			}
		}
		st.last = ev.Seq
	}
	st.reading = false
	waiting := st.waiting
	st.waiting = nil
	for _, a := range waiting {
		h.attach(ctx, project, a)
	}
	if err == nil && (len(events) == fanoutPage || st.behind) {
		h.read(ctx, project, st)
	}
	h.forget(project, st)
}

func (h *Hub) register(c *conn) {
	h.mu.Lock()
	h.all[c] = struct{}{}
	h.mu.Unlock()
	h.do(func(context.Context) {
		if h.byUser[c.userID] == nil {
			h.byUser[c.userID] = map[*conn]struct{}{}
		}
		h.byUser[c.userID][c] = struct{}{}
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

// attach makes a socket live on a project once its replay reached the
// seq the project's subscribers are at; until then the worker replays on.
func (h *Hub) attach(ctx context.Context, p int64, a attachment) {
	c := a.c
	if c.closed() {
		a.reply <- attached{}
		return
	}
	if a.user != c.user.Load() {
		a.reply <- attached{recheck: true} // the account changed meanwhile
		return
	}
	st := h.projects[p]
	fresh := st == nil
	if fresh {
		st = &projectState{last: a.at, conns: map[*conn]int64{}}
		h.projects[p] = st
	}
	if st.reading {
		st.waiting = append(st.waiting, a)
		return
	}
	if a.at < st.last {
		a.reply <- attached{resume: st.last}
		return
	}
	st.conns[c] = a.at
	c.setLive(p, true)
	a.reply <- attached{}
	if fresh {
		// Events committed after the replay's last read were announced
		// before anyone here followed the project: look for them.
		h.read(ctx, p, st)
	}
}

func (h *Hub) drop(c *conn, p int64) {
	c.setLive(p, false)
	if st := h.projects[p]; st != nil {
		delete(st.conns, c)
		h.forget(p, st)
	}
}

// forget lets go of a project nobody follows or waits for.
func (h *Hub) forget(p int64, st *projectState) {
	if len(st.conns) == 0 && len(st.waiting) == 0 && !st.reading {
		delete(h.projects, p)
	}
}

// checkUsers reads the users off the dispatcher; then it closes the sockets
// whose session ended, and checks again the projects of those whose
// account changed (a role change), dropping the ones they may no longer
// see. One read of users is in flight at a time; users asked for meanwhile
// are read after it.
func (h *Hub) checkUsers(ctx context.Context, ids []int64) {
	if h.checking {
		for _, id := range ids {
			h.recheck[id] = true
		}
		return
	}
	h.checking = true
	h.background(func() {
		users, err := h.acc.Users(ctx, ids)
		h.do(func(ctx context.Context) {
			h.checking = false
			if err != nil {
				h.log.Warn("live: recheck users", "err", err)
			} else {
				h.usersRead(ctx, ids, users)
			}
			if len(h.recheck) > 0 {
				next := slices.Collect(maps.Keys(h.recheck))
				clear(h.recheck)
				h.checkUsers(ctx, next)
			}
		})
	})
}

func (h *Hub) usersRead(ctx context.Context, ids []int64, users map[int64]models.User) {
	changed := map[*conn][]int64{}
	for _, id := range ids {
		u, found := users[id]
		for c := range h.byUser[id] {
			old := c.user.Load()
			if !found || !u.SessionValid(old.SessionVersion) {
				c.close(closeUnauthenticated, "session ended")
				continue
			}
			if u.Role == old.Role && u.UpdatedAt.Equal(old.UpdatedAt) {
				continue
			}
			// Workers that checked access as the old account check again
			// before they attach.
			c.user.Store(&u)
			changed[c] = slices.Collect(maps.Keys(c.projects))
		}
	}
	if len(changed) == 0 {
		return
	}
	h.background(func() {
		lost := map[*conn][]int64{}
		for c, projects := range changed {
			a := c.user.Load().Actor()
			for _, p := range projects {
				if err := h.acc.CanSee(ctx, a, p); err != nil {
					lost[c] = append(lost[c], p)
				}
			}
		}
		h.do(func(context.Context) {
			for c, projects := range lost {
				for _, p := range projects {
					if c.projects[p] {
						h.drop(c, p)
						c.enqueue(encode(projectFrame{Type: "revoked", ProjectID: p}))
					}
				}
			}
		})
	})
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
