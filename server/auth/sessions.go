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
}

type cachedUser struct {
	user models.User
	at   time.Time
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
	if trusted {
		s.mu.Lock()
		c, ok := s.users[id]
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
		s.mu.Lock()
		if len(s.users) >= maxCachedUsers {
			s.users = map[int64]cachedUser{}
		}
		s.users[id] = cachedUser{user: u, at: time.Now()}
		s.mu.Unlock()
	}
	return u, claims, nil
}

// Forget drops a user's row: it changed (here, or on another instance).
func (s *Sessions) Forget(userID int64) {
	s.mu.Lock()
	delete(s.users, userID)
	s.mu.Unlock()
}

// ForgetAll drops every row: notifications may have been missed.
func (s *Sessions) ForgetAll() {
	s.mu.Lock()
	s.users = map[int64]cachedUser{}
	s.mu.Unlock()
}
