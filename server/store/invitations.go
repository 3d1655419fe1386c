package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mail"
)

func invitationsQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("invitations").Select("invitations.*, coalesce(clients.name, '') AS client_name").
		Joins("LEFT JOIN clients ON clients.id = invitations.client_id")
}

// NewInvitation is the input of CreateInvitation.
type NewInvitation struct {
	Email    string
	Role     models.Role
	ClientID *int64
	// Link is the page the invitation's token opens; the invitation mail
	// carries it.
	Link string
}

// CreateInvitation records an invitation whose link carries the token with
// tokenHash. An earlier pending invitation for the same address is revoked,
// so only the newest link works.
func (s *Store) CreateInvitation(ctx context.Context, a models.Actor, n NewInvitation, tokenHash []byte) (models.Invitation, error) {
	if !a.Can(models.ActInvite) {
		return models.Invitation{}, fmt.Errorf("store: invite: %w", models.ErrForbidden)
	}
	probs := models.Problems{}
	n.Email = models.CleanEmail(probs, "email", n.Email)
	models.CheckRoleClient(probs, n.Role, n.ClientID)
	if err := probs.Err(); err != nil {
		return models.Invitation{}, err
	}
	if !a.CanInviteAs(n.Role) {
		return models.Invitation{}, fmt.Errorf("store: invite %s: %w", n.Role, models.ErrForbidden)
	}
	var inv models.Invitation
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if n.ClientID != nil {
			c, err := s.client(tx, a, *n.ClientID)
			if errors.Is(err, models.ErrNotFound) {
				return models.Invalid("client_id", models.ClientUnknown)
			}
			if err != nil {
				return err
			}
			if c.ArchivedAt != nil {
				return models.Invalid("client_id", models.ClientArchived)
			}
		}
		var taken int64
		if err := tx.Table("users").Where("email = ?", n.Email).Count(&taken).Error; err != nil {
			return wrap("invite", err)
		}
		if taken > 0 {
			return models.Invalid("email", models.EmailTaken)
		}
		now := s.now()
		if err := tx.Table("invitations").Where("email = ? AND accepted_at IS NULL AND revoked_at IS NULL", n.Email).
			Update("revoked_at", now).Error; err != nil {
			return wrap("invite", err)
		}
		row := models.Invitation{Email: n.Email, Role: n.Role, ClientID: n.ClientID, TokenHash: tokenHash,
			InvitedBy: &a.UserID, ExpiresAt: now.Add(models.InvitationTTL)}
		if err := tx.Table("invitations").Omit("client_name", "created_at").Create(&row).Error; err != nil {
			return wrap("invite", err)
		}
		if err := mailInvitation(tx, a, n); err != nil {
			return err
		}
		return wrap("invite", invitationsQuery(tx).Where("invitations.id = ?", row.ID).Take(&inv).Error)
	})
	return inv, err
}

// ListInvitations returns the invitations that can still be accepted.
func (s *Store) ListInvitations(ctx context.Context, a models.Actor) ([]models.Invitation, error) {
	if !a.Can(models.ActInvite) {
		return nil, fmt.Errorf("store: list invitations: %w", models.ErrForbidden)
	}
	list := []models.Invitation{}
	err := invitationsQuery(s.db.WithContext(ctx)).
		Where("invitations.accepted_at IS NULL AND invitations.revoked_at IS NULL AND invitations.expires_at > ? AND invitations.email IS NOT NULL", s.now()).
		Order("invitations.created_at DESC, invitations.id DESC").Find(&list).Error
	return list, wrap("list invitations", err)
}

// RevokeInvitation makes a pending invitation's link stop working.
func (s *Store) RevokeInvitation(ctx context.Context, a models.Actor, id int64) error {
	if !a.Can(models.ActInvite) {
		return fmt.Errorf("store: revoke invitation %d: %w", id, models.ErrForbidden)
	}
	res := s.db.WithContext(ctx).Table("invitations").
		Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND email IS NOT NULL", id).Update("revoked_at", s.now())
	if res.Error != nil {
		return wrap("revoke invitation", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: revoke invitation %d: %w", id, models.ErrNotFound)
	}
	return nil
}

// InvitationByToken returns the invitation of a link for its landing page:
// ErrNotFound for an unknown token, ErrGone for a used or expired one.
func (s *Store) InvitationByToken(ctx context.Context, tokenHash []byte) (models.Invitation, error) {
	var inv models.Invitation
	err := invitationsQuery(s.db.WithContext(ctx)).Where("invitations.token_hash = ?", tokenHash).Take(&inv).Error
	if err != nil {
		return inv, wrap("invitation", err)
	}
	if !inv.Usable(s.now()) {
		return inv, fmt.Errorf("store: invitation %d: %w", inv.ID, models.ErrGone)
	}
	return inv, nil
}

// Acceptance is what the invitee types on the landing page.
type Acceptance struct {
	Name         string
	Email        string // only for the set-up link, which names no address
	PasswordHash string
}

// AcceptInvitation creates the invitee's account and spends the link, in
// one transaction so a link can make one account only.
func (s *Store) AcceptInvitation(ctx context.Context, tokenHash []byte, in Acceptance) (models.User, error) {
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var inv models.Invitation
		err := tx.Table("invitations").Where("token_hash = ?", tokenHash).Clauses(forUpdateOf("invitations")).Take(&inv).Error
		if err != nil {
			return wrap("accept invitation", err)
		}
		if !inv.Usable(s.now()) {
			return fmt.Errorf("store: accept invitation %d: %w", inv.ID, models.ErrGone)
		}
		probs := models.Problems{}
		email := inv.Email
		if email == "" {
			email = models.CleanEmail(probs, "email", in.Email)
		}
		name := models.CleanName(probs, "name", in.Name, models.NameMax)
		if err := probs.Err(); err != nil {
			return err
		}
		u, err = s.insertUser(tx, NewUser{Email: email, Name: name, Role: inv.Role, ClientID: inv.ClientID, PasswordHash: in.PasswordHash})
		if err != nil {
			return err
		}
		return wrap("accept invitation", tx.Table("invitations").Where("id = ?", inv.ID).Update("accepted_at", s.now()).Error)
	})
	return u, err
}

// SetupInvitation issues the first admin's set-up link when no active admin
// exists, revoking earlier set-up links; it reports whether it did.
func (s *Store) SetupInvitation(ctx context.Context, tokenHash []byte) (bool, error) {
	issued := false
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		// Serialise concurrent starts of several instances.
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext('doska setup'))").Error; err != nil {
			return wrap("setup", err)
		}
		var admins int64
		if err := tx.Table("users").Where("role = 'admin' AND active").Count(&admins).Error; err != nil {
			return wrap("setup", err)
		}
		if admins > 0 {
			return nil
		}
		now := s.now()
		if err := tx.Table("invitations").Where("email IS NULL AND accepted_at IS NULL AND revoked_at IS NULL").
			Update("revoked_at", now).Error; err != nil {
			return wrap("setup", err)
		}
		issued = true
		return wrap("setup", tx.Table("invitations").Omit("client_name", "created_at", "email").Create(&models.Invitation{
			Role: models.RoleAdmin, TokenHash: tokenHash, ExpiresAt: now.Add(models.InvitationTTL),
		}).Error)
	})
	return issued, err
}

// mailInvitation queues the invitation's mail, in the agency's language
// since the invitee has chosen none yet.
func mailInvitation(tx *gorm.DB, a models.Actor, n NewInvitation) error {
	set, err := readSettings(tx)
	if err != nil {
		return err
	}
	d := mail.Data{Secret: n.Link}
	if err := tx.Raw("SELECT name FROM users WHERE id = ?", a.UserID).Row().Scan(&d.Actor); err != nil {
		return wrap("invite", err)
	}
	return queueMailTo(tx, mail.Invitation, n.Email, set.DefaultLocale, d)
}
