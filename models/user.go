package models

import "time"

// User is a person who signs in: agency staff or a client's user.
type User struct {
	ID         int64  `gorm:"column:id;primaryKey" json:"id"`
	Email      string `gorm:"column:email" json:"email"`
	Name       string `gorm:"column:name" json:"name"`
	Role       Role   `gorm:"column:role" json:"role"`
	ClientID   *int64 `gorm:"column:client_id" json:"client_id"`
	ClientName string `gorm:"->;column:client_name;-:migration" json:"client_name,omitempty"`
	Active     bool   `gorm:"column:active" json:"active"`
	// Locale is the language the user chose; nil until they (or the web
	// app, from the browser, at the first sign-in) choose one; absent then.
	Locale         *Locale `gorm:"column:locale" json:"locale,omitempty"`
	PasswordHash   string  `gorm:"column:password_hash" json:"-"`
	SessionVersion int64   `gorm:"column:session_version" json:"-"`
	// WeeklyCapacity is the minutes a staff member plans with per week.
	WeeklyCapacity int       `gorm:"column:weekly_capacity_minutes" json:"weekly_capacity_minutes"`
	CreatedAt      time.Time `gorm:"column:created_at" json:"created_at"`
	UpdatedAt      time.Time `gorm:"column:updated_at" json:"-"`
}

// Actor returns the user as the subject of commands.
func (u User) Actor() Actor {
	a := Actor{UserID: u.ID, Role: u.Role}
	if u.ClientID != nil {
		a.ClientID = *u.ClientID
	}
	return a
}

// SessionValid reports whether a session opened at sessionVersion still
// holds: the account is active and no "end all sessions" happened since.
func (u User) SessionValid(sessionVersion int64) bool {
	return u.Active && u.SessionVersion == sessionVersion
}

// CheckRoleClient enforces that client users belong to exactly one client
// and staff to none.
func CheckRoleClient(p Problems, role Role, clientID *int64) {
	switch {
	case !role.Valid():
		p.Add("role", RoleChoice)
	case role == RoleClient && (clientID == nil || *clientID <= 0):
		p.Add("client_id", ClientRequired)
	case role != RoleClient && clientID != nil:
		p.Add("client_id", ClientForStaff)
	}
}
