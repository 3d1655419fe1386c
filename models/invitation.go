package models

import "time"

// InvitationTTL is how long an invitation link stays valid.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation lets a person join with a given role by a one-time link. Only
// a hash of the link's token is stored. An invitation without an e-mail is
// the set-up link for the first admin: the invitee types their address.
type Invitation struct {
	ID         int64      `gorm:"column:id;primaryKey" json:"id"`
	Email      string     `gorm:"column:email" json:"email"`
	Role       Role       `gorm:"column:role" json:"role"`
	ClientID   *int64     `gorm:"column:client_id" json:"client_id"`
	ClientName string     `gorm:"->;column:client_name;-:migration" json:"client_name,omitempty"`
	TokenHash  []byte     `gorm:"column:token_hash" json:"-"`
	InvitedBy  *int64     `gorm:"column:invited_by" json:"invited_by"`
	ExpiresAt  time.Time  `gorm:"column:expires_at" json:"expires_at"`
	AcceptedAt *time.Time `gorm:"column:accepted_at" json:"-"`
	RevokedAt  *time.Time `gorm:"column:revoked_at" json:"-"`
	CreatedAt  time.Time  `gorm:"column:created_at" json:"created_at"`
}

// Usable reports whether the invitation can still be accepted at now.
func (i Invitation) Usable(now time.Time) bool {
	return i.AcceptedAt == nil && i.RevokedAt == nil && now.Before(i.ExpiresAt)
}
