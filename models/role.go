package models

// Role is what a user is in the agency or to it.
type Role string

const (
	RoleAdmin     Role = "admin"
	RoleManager   Role = "manager"
	RoleDeveloper Role = "developer"
	RoleClient    Role = "client"
)

// Roles lists every role, staff first.
var Roles = []Role{RoleAdmin, RoleManager, RoleDeveloper, RoleClient}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleManager, RoleDeveloper, RoleClient:
		return true
	}
	return false
}

// Staff reports whether r works for the agency (as opposed to a client).
func (r Role) Staff() bool { return r == RoleAdmin || r == RoleManager || r == RoleDeveloper }
