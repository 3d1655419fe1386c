package auth

import (
	"context"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/live"
	"github.com/doska/doska/server/store"
)

// LiveAccess is how the websocket hub authenticates sockets and checks
// access: the same sessions and the same store checks as the HTTP API.
func LiveAccess(sessions *Sessions, st *store.Store) live.Access {
	return liveAccess{sessions: sessions, store: st}
}

type liveAccess struct {
	sessions *Sessions
	store    *store.Store
}

func (l liveAccess) Authenticate(ctx context.Context, token string) (live.Session, error) {
	u, claims, err := l.sessions.Authenticate(ctx, token)
	if err != nil {
		return live.Session{}, err
	}
	return live.Session{User: u, Expires: claims.ExpiresAt.Time}, nil
}

func (l liveAccess) Users(ctx context.Context, ids []int64) (map[int64]models.User, error) {
	return l.store.UsersByID(ctx, ids)
}

func (l liveAccess) CanSee(ctx context.Context, a models.Actor, project int64) error {
	return l.store.CanSee(ctx, a, project)
}
