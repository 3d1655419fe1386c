package auth

import (
	"context"
	"sync"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// Sessions turns access tokens into users. Every request needs the user's
// row (active? same session version? which role?), so rows are cached; the
// cache is trusted only while the listener hears the users channel, which
// every change to a user rings (store.UsersChannel), and changes made here
// are forgotten at once. Without the listener every request reads the row.
type Sessions struct {
	tokens *Tokens
	store  *store.Store
	trust  func() bool

	mu    sync.Mutex
	users map[int64]cachedUser
	// epoch counts what was forgotten. A row read since epoch e is cached
	// only if nothing was forgotten of its user after e: a read that began
	// before a change committed may return the row as it was, and caching
	// it after the change was announced would let an ended session in on
	// this instance until the row expires.
	epoch   uint64
	cleared uint64 // the epoch of the last ForgetAll
	// afterRead, set by tests, runs between reading a row and caching it.
	afterRead func(userID int64)
}

type cachedUser struct {
	user models.User
	at   time.Time // zero: nothing cached, only when the user was forgotten
	// forgotten is the epoch at which the user was last forgotten.
	forgotten uint64
}

// sessionTTL bounds how long a row is used without a notification: a
// safety net should one be lost between two listener checks.
const sessionTTL = 30 * time.Second

// maxCachedUsers bounds the cache; past it the cache starts over.
const maxCachedUsers = 20000

// NewSessions returns Sessions over tokens and st; the cache is used only
// while trust reports true (nil: never).
func NewSessions(tokens *Tokens, st *store.Store, trust func() bool) *Sessions {
	if trust == nil {
		trust = func() bool { return false }
	}
	return &Sessions{tokens: tokens, store: st, trust: trust, users: map[int64]cachedUser{}}
}

// Authenticate verifies an access token and returns its user as the
// database has it now.
func (s *Sessions) Authenticate(ctx context.Context, token string) (models.User, Claims, error) {
	claims, err := s.tokens.Parse(token)
	if err != nil {
		return models.User{}, claims, models.ErrUnauthenticated
	}
	id, _ := claims.UserID()
	trusted := s.trust()
	var since uint64
	if trusted {
		s.mu.Lock()
		c, ok := s.users[id]
		since = s.epoch
		s.mu.Unlock()
		if ok && time.Since(c.at) < sessionTTL && c.user.SessionValid(claims.Version) {
			return c.user, claims, nil
		}
	}
	u, err := s.store.Authenticate(ctx, id, claims.Version)
	if err != nil {
		return u, claims, err
	}
	if trusted {
		s.keep(u, since)
	}
	return u, claims, nil
}

// keep caches a row read since epoch since, unless its user was forgotten
// after that.
func (s *Sessions) keep(u models.User, since uint64) {
	if s.afterRead != nil {
		s.afterRead(u.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	was := s.users[u.ID]
	if s.cleared > since || was.forgotten > since {
		return
	}
	if len(s.users) >= maxCachedUsers {
		// Starting over forgets when users were forgotten too.
		s.users = map[int64]cachedUser{}
		s.cleared = s.epoch
	}
	s.users[u.ID] = cachedUser{user: u, at: time.Now(), forgotten: was.forgotten}
}

// Forget drops a user's row: it changed (here, or on another instance).
func (s *Sessions) Forget(userID int64) {
	s.mu.Lock()
	s.epoch++
	s.users[userID] = cachedUser{forgotten: s.epoch}
	s.mu.Unlock()
}

// ForgetAll drops every row: notifications may have been missed.
func (s *Sessions) ForgetAll() {
	s.mu.Lock()
	s.epoch++
	s.users = map[int64]cachedUser{}
	s.cleared = s.epoch
	s.mu.Unlock()
}
