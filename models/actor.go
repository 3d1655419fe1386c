package models

// Actor is the authenticated user a command runs for. It is built from the
// users row on every request, never from token claims alone, so a change of
// role or deactivation applies at once.
type Actor struct {
	UserID   int64
	Role     Role
	ClientID int64 // the company of a client user; 0 for staff
}

// IsStaff reports whether the actor works for the agency.
func (a Actor) IsStaff() bool { return a.Role.Staff() }
