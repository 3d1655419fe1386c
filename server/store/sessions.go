package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// Refresh-token lifetimes (ASVS V7.3): a session idles out after two weeks
// and ends after sixty days whatever its use.
const (
	RefreshIdleTTL   = 14 * 24 * time.Hour
	RefreshFamilyTTL = 60 * 24 * time.Hour
	// RefreshGrace is how long a just-used refresh token still yields its
	// successor, so two tabs refreshing at once both stay signed in.
	RefreshGrace = 10 * time.Second
)

// ErrRefreshReuse is returned when a used refresh token is presented after
// the grace window: a sign of theft, so its whole family was revoked.
var ErrRefreshReuse = fmt.Errorf("refresh token reuse: %w", models.ErrUnauthenticated)

type refreshToken struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	UserID          int64      `gorm:"column:user_id"`
	FamilyID        int64      `gorm:"column:family_id"`
	TokenHash       []byte     `gorm:"column:token_hash"`
	CreatedAt       time.Time  `gorm:"column:created_at"`
	ExpiresAt       time.Time  `gorm:"column:expires_at"`
	FamilyExpiresAt time.Time  `gorm:"column:family_expires_at"`
	UsedAt          *time.Time `gorm:"column:used_at"`
	RevokedAt       *time.Time `gorm:"column:revoked_at"`
}

// StartSession opens a new refresh family for the user (a login) with its
// first token, and returns the family's ID.
func (s *Store) StartSession(ctx context.Context, userID int64, tokenHash []byte) (int64, error) {
	var family int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw("SELECT nextval('refresh_token_families')").Scan(&family).Error; err != nil {
			return wrap("start session", err)
		}
		now := s.now()
		return wrap("start session", tx.Table("refresh_tokens").Create(&refreshToken{
			UserID: userID, FamilyID: family, TokenHash: tokenHash, CreatedAt: now,
			ExpiresAt: now.Add(RefreshIdleTTL), FamilyExpiresAt: now.Add(RefreshFamilyTTL),
		}).Error)
	})
	return family, err
}

// Rotation is the outcome of a refresh.
type Rotation struct {
	User     models.User
	FamilyID int64
}

// RotateSession spends the refresh token with tokenHash and records its
// successor. Presenting the same token again within RefreshGrace is a
// legitimate race (two tabs) and succeeds without a new row, since the
// successor is derived from the token; later, it revokes the family and
// ends the user's access tokens, and the Rotation names only the user.
func (s *Store) RotateSession(ctx context.Context, tokenHash, successorHash []byte) (Rotation, error) {
	var r Rotation
	var reuse bool
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var t refreshToken
		err := tx.Table("refresh_tokens").Where("token_hash = ?", tokenHash).Clauses(forUpdateOf("refresh_tokens")).Take(&t).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("store: rotate session: %w", models.ErrUnauthenticated)
		}
		if err != nil {
			return wrap("rotate session", err)
		}
		now := s.now()
		if t.RevokedAt != nil || !now.Before(t.ExpiresAt) || !now.Before(t.FamilyExpiresAt) {
			return fmt.Errorf("store: rotate session: %w", models.ErrUnauthenticated)
		}
		if t.UsedAt != nil && now.Sub(*t.UsedAt) > RefreshGrace {
			reuse = true
			r.User.ID = t.UserID
			return endStolenSessions(tx, t.UserID, t.FamilyID, now)
		}
		if t.UsedAt == nil {
			if err := tx.Table("refresh_tokens").Where("id = ?", t.ID).Update("used_at", now).Error; err != nil {
				return wrap("rotate session", err)
			}
			err := tx.Table("refresh_tokens").Create(&refreshToken{
				UserID: t.UserID, FamilyID: t.FamilyID, TokenHash: successorHash, CreatedAt: now,
				ExpiresAt: now.Add(RefreshIdleTTL), FamilyExpiresAt: t.FamilyExpiresAt,
			}).Error
			if err != nil {
				return wrap("rotate session", err)
			}
		}
		u, err := activeUser(tx, t.UserID)
		r = Rotation{User: u, FamilyID: t.FamilyID}
		return err
	})
	if err == nil && reuse {
		// The revocation committed; the caller is still refused.
		return Rotation{User: models.User{ID: r.User.ID}}, fmt.Errorf("store: rotate session: %w", ErrRefreshReuse)
	}
	return r, err
}

// EndSession revokes the family of the refresh token (logout). An unknown
// token is not an error: the session is over either way.
func (s *Store) EndSession(ctx context.Context, tokenHash []byte) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var family int64
		err := tx.Table("refresh_tokens").Select("family_id").Where("token_hash = ?", tokenHash).Take(&family).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return wrap("end session", err)
		}
		return revokeFamily(tx, family, s.now())
	})
}

// SessionFamily returns the family of a refresh token, or 0 if it is unknown.
func (s *Store) SessionFamily(ctx context.Context, tokenHash []byte) (int64, error) {
	var family int64
	err := s.db.WithContext(ctx).Table("refresh_tokens").Select("family_id").Where("token_hash = ?", tokenHash).Take(&family).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	return family, wrap("session family", err)
}

func activeUser(tx *gorm.DB, id int64) (models.User, error) {
	var u models.User
	err := usersQuery(tx).Where("users.id = ?", id).Take(&u).Error
	if err == nil && !u.Active {
		return u, fmt.Errorf("store: user %d inactive: %w", id, models.ErrUnauthenticated)
	}
	return u, wrap("active user", err)
}

// endStolenSessions revokes a family whose refresh token was reused. Access
// tokens do not name their family, so the user's session version moves on:
// every access token of the user stops working at once, on every instance
// (the users doorbell rings), not in up to ten minutes. The user's other
// devices keep their refresh tokens and get new access tokens silently.
func endStolenSessions(tx *gorm.DB, userID, family int64, now time.Time) error {
	if err := revokeFamily(tx, family, now); err != nil {
		return err
	}
	if err := tx.Table("users").Where("id = ?", userID).Update("session_version", gorm.Expr("session_version + 1")).Error; err != nil {
		return wrap("end stolen sessions", err)
	}
	return notifyUser(tx, userID)
}

func revokeFamily(tx *gorm.DB, family int64, now time.Time) error {
	err := tx.Table("refresh_tokens").Where("family_id = ? AND revoked_at IS NULL", family).Update("revoked_at", now).Error
	return wrap("revoke session", err)
}

// revokeUserSessions revokes every refresh family of the user except keep.
func revokeUserSessions(tx *gorm.DB, userID, keep int64, now time.Time) error {
	err := tx.Table("refresh_tokens").Where("user_id = ? AND family_id <> ? AND revoked_at IS NULL", userID, keep).Update("revoked_at", now).Error
	return wrap("revoke user sessions", err)
}

// Sweep deletes what can no longer be used: refresh tokens of families past
// their absolute expiry or revoked a week ago, spent invitations a month
// old, sign-in counters whose window and block have passed, and
// idempotency keys and password reset links a day old.
func (s *Store) Sweep(ctx context.Context) error {
	now := s.now()
	db := s.db.WithContext(ctx)
	steps := []struct {
		sql  string
		args []any
	}{
		{"DELETE FROM refresh_tokens WHERE family_expires_at < ? OR revoked_at < ?", []any{now, now.Add(-7 * 24 * time.Hour)}},
		{"DELETE FROM invitations WHERE (accepted_at IS NOT NULL OR revoked_at IS NOT NULL OR expires_at < ?) AND created_at < ?", []any{now, now.Add(-30 * 24 * time.Hour)}},
		{"DELETE FROM auth_throttle WHERE window_start < ? AND (blocked_until IS NULL OR blocked_until < ?)", []any{now.Add(-24 * time.Hour), now}},
		{"DELETE FROM idempotency_keys WHERE created_at < ?", []any{now.Add(-IdempotencyKeyTTL)}},
		{"DELETE FROM password_resets WHERE created_at < ?", []any{now.Add(-24 * time.Hour)}},
	}
	for _, st := range steps {
		if err := db.Exec(st.sql, st.args...).Error; err != nil {
			return wrap("sweep", err)
		}
	}
	return nil
}
