package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mail"
)

// PasswordResetTTL is how long a password reset link works.
const PasswordResetTTL = 30 * time.Minute

// RequestPasswordReset records a reset link for the active account with
// the address, if there is one, and queues its mail in the same
// transaction; link is the page the token opens. An unknown address does
// nothing and says nothing: the caller answers alike either way.
func (s *Store) RequestPasswordReset(ctx context.Context, email string, tokenHash []byte, link string) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var id int64
		if err := tx.Raw("SELECT id FROM users WHERE email = ? AND active", email).Scan(&id).Error; err != nil || id == 0 {
			return wrap("password reset", err)
		}
		err := tx.Exec("INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES (?, ?, ?)",
			id, tokenHash, s.now().Add(PasswordResetTTL)).Error
		if err != nil {
			return wrap("password reset", err)
		}
		return queueMail(tx, mail.PasswordReset, []int64{id}, nil, mail.Data{Secret: link})
	})
}

// ResetPassword sets a new password with a reset link's token: once, before
// it expires (else models.ErrGone). Every session of the account ends, and
// every other reset link of it stops working.
func (s *Store) ResetPassword(ctx context.Context, tokenHash []byte, passwordHash string) (models.User, error) {
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var r struct {
			ID        int64      `gorm:"column:id"`
			UserID    int64      `gorm:"column:user_id"`
			ExpiresAt time.Time  `gorm:"column:expires_at"`
			UsedAt    *time.Time `gorm:"column:used_at"`
		}
		err := tx.Raw(`SELECT r.id, r.user_id, r.expires_at, r.used_at FROM password_resets r JOIN users u ON u.id = r.user_id
			WHERE r.token_hash = ? AND u.active FOR UPDATE OF r`, tokenHash).Scan(&r).Error
		if err != nil {
			return wrap("reset password", err)
		}
		if r.ID == 0 || r.UsedAt != nil || !s.now().Before(r.ExpiresAt) {
			return fmt.Errorf("store: reset link: %w", models.ErrGone)
		}
		if err := tx.Exec("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", s.now(), r.UserID).Error; err != nil {
			return wrap("reset password", err)
		}
		err = tx.Exec("UPDATE users SET password_hash = ?, session_version = session_version + 1, updated_at = ? WHERE id = ?",
			passwordHash, s.now(), r.UserID).Error
		if err != nil {
			return wrap("reset password", err)
		}
		if err := revokeUserSessions(tx, r.UserID, 0, s.now()); err != nil {
			return err
		}
		if err := notifyUser(tx, r.UserID); err != nil {
			return err
		}
		return wrap("reset password", usersQuery(tx).Where("users.id = ?", r.UserID).Take(&u).Error)
	})
	return u, err
}
