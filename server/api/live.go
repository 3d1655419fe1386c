package api

import (
	"context"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/live"
	"github.com/doska/doska/server/store"
)

// LiveAccess is how the websocket hub authenticates sockets and checks
// access: the same tokens and the same store checks as the HTTP API.
func LiveAccess(tokens *auth.Tokens, st *store.Store) live.Access {
	return liveAccess{tokens: tokens, store: st}
}

type liveAccess struct {
	tokens *auth.Tokens
	store  *store.Store
}

func (l liveAccess) Authenticate(ctx context.Context, token string) (live.Session, error) {
	u, claims, err := authenticate(ctx, l.tokens, l.store, token)
	if err != nil {
		return live.Session{}, err
	}
	return live.Session{User: u, Expires: claims.ExpiresAt.Time}, nil
}

// authenticate verifies an access token and loads its user fresh from the
// database, so deactivation and ended sessions apply to the next use.
func authenticate(ctx context.Context, tokens *auth.Tokens, st *store.Store, token string) (models.User, auth.Claims, error) {
	claims, err := tokens.Parse(token)
	if err != nil {
		return models.User{}, claims, models.ErrUnauthenticated
	}
	id, _ := claims.UserID()
	u, err := st.Authenticate(ctx, id, claims.Version)
	return u, claims, err
}

func (l liveAccess) Users(ctx context.Context, ids []int64) (map[int64]models.User, error) {
	return l.store.UsersByID(ctx, ids)
}

func (l liveAccess) CanSee(ctx context.Context, a models.Actor, project int64) error {
	return l.store.CanSee(ctx, a, project)
}
