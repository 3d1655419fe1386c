package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Idempotency keys: a client that did not hear the answer to a command
// sends it again with the same key, and the command is carried out once.
// The key is written by the command's own transaction, so the command and
// its key commit together or not at all, even if the server dies between
// the commit and the answer.

// IdempotencyKeyTTL is how long a key is kept: retries come within
// seconds; a day covers a laptop closed mid-request.
const IdempotencyKeyTTL = 24 * time.Hour

// IdempotentRequest is one request that carries a key. The first command
// of the request that commits claims the key.
type IdempotentRequest struct {
	userID      int64
	key         string
	fingerprint []byte
	claimed     bool
}

// Claimed tells whether a command of this request committed with the key.
func (r *IdempotentRequest) Claimed() bool { return r.claimed }

// ErrKeyClaimed says that another request with the same key committed first.
var ErrKeyClaimed = errors.New("store: idempotency key already claimed")

type idempotentCtx struct{}

// WithIdempotencyKey returns a context whose commands claim the key.
func WithIdempotencyKey(ctx context.Context, userID int64, key string, fingerprint []byte) (context.Context, *IdempotentRequest) {
	r := &IdempotentRequest{userID: userID, key: key, fingerprint: fingerprint}
	return context.WithValue(ctx, idempotentCtx{}, r), r
}

// claimKey writes the request's key in the command's transaction. A second
// request with the key waits here until the first commits or rolls back.
func claimKey(ctx context.Context, tx *gorm.DB) error {
	r, _ := ctx.Value(idempotentCtx{}).(*IdempotentRequest)
	if r == nil || r.claimed {
		return nil
	}
	res := tx.Exec("INSERT INTO idempotency_keys (user_id, key, fingerprint) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		r.userID, r.key, r.fingerprint)
	if res.Error != nil {
		return wrap("idempotency key", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrKeyClaimed
	}
	return nil
}

// IdempotentAnswer is what is known of a key: the request it was first
// used with and, once sent, the answer.
type IdempotentAnswer struct {
	Fingerprint []byte `gorm:"column:fingerprint"`
	Status      *int   `gorm:"column:status"`
	Body        []byte `gorm:"column:body"`
}

// IdempotencyKey reads a key of the user; models.ErrNotFound if unused.
func (s *Store) IdempotencyKey(ctx context.Context, userID int64, key string) (IdempotentAnswer, error) {
	var a IdempotentAnswer
	err := s.db.WithContext(ctx).Table("idempotency_keys").Select("fingerprint, status, body").
		Where("user_id = ? AND key = ?", userID, key).Take(&a).Error
	return a, wrap("idempotency key", err)
}

// SaveAnswer keeps the answer sent for a claimed key, to send it again.
func (s *Store) SaveAnswer(ctx context.Context, r *IdempotentRequest, status int, body []byte) error {
	if !r.claimed {
		return fmt.Errorf("store: answer for an unclaimed idempotency key")
	}
	err := s.db.WithContext(ctx).Exec("UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ?",
		status, body, r.userID, r.key).Error
	return wrap("idempotency answer", err)
}
