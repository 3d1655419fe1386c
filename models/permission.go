package models

// Action is something an actor may be allowed to do, independent of which
// object it is done to. Object-level visibility is the Scope below.
type Action string

const (
	ActManageClients  Action = "clients.manage"  // create, rename, archive clients
	ActManageProjects Action = "projects.manage" // create, edit, archive projects; set members
	ActInvite         Action = "users.invite"    // invite staff and client users
	ActListUsers      Action = "users.list"      // see the people directory
	ActManageUsers    Action = "users.manage"    // change role, deactivate
	ActEditTasks      Action = "tasks.edit"      // edit, move, assign, archive tasks
	ActInternal       Action = "comments.internal"
	ActModerate       Action = "comments.moderate" // delete others' comments
	ActLogTime        Action = "time.log"          // time entries and timers of one's own
	ActEditAllTime    Action = "time.edit_all"     // change anyone's time entries
	ActRunWorkshops   Action = "workshops.run"     // plan, hold and publish workshops; turn notes into cards
	ActTriage         Action = "requests.triage"   // read the inbox of client requests, escalate them
)

// grants is the role-level half of the policy: which roles may perform an
// action at all. The permission matrix test in server/api walks every route
// against this table.
var grants = map[Action][]Role{
	ActManageClients:  {RoleAdmin, RoleManager},
	ActManageProjects: {RoleAdmin, RoleManager},
	ActInvite:         {RoleAdmin, RoleManager},
	ActListUsers:      {RoleAdmin, RoleManager, RoleDeveloper},
	ActManageUsers:    {RoleAdmin},
	ActEditTasks:      {RoleAdmin, RoleManager, RoleDeveloper},
	ActInternal:       {RoleAdmin, RoleManager, RoleDeveloper},
	ActModerate:       {RoleAdmin, RoleManager},
	ActLogTime:        {RoleAdmin, RoleManager, RoleDeveloper},
	ActEditAllTime:    {RoleAdmin, RoleManager},
	ActRunWorkshops:   {RoleAdmin, RoleManager},
	ActTriage:         {RoleAdmin, RoleManager},
}

// Can reports whether the actor's role allows the action.
func (a Actor) Can(act Action) bool {
	for _, r := range grants[act] {
		if r == a.Role {
			return true
		}
	}
	return false
}

// CanInviteAs reports whether the actor may invite someone with the given
// role: only an admin creates admins, so a manager cannot raise anyone above
// themselves.
func (a Actor) CanInviteAs(r Role) bool {
	if !a.Can(ActInvite) {
		return false
	}
	return r != RoleAdmin || a.Role == RoleAdmin
}

// ScopeKind says which projects an actor can see.
type ScopeKind int

const (
	ScopeNone   ScopeKind = iota // sees nothing (an unknown role)
	ScopeAll                     // admins and managers
	ScopeMember                  // developers: projects they are members of
	ScopeClient                  // client users: every project of their company
)

// Scope is the object-level half of the policy. The store turns it into a
// WHERE clause for lists and the same Includes check guards single reads,
// so both follow this one definition.
type Scope struct {
	Kind     ScopeKind
	UserID   int64
	ClientID int64
}

// ProjectScope is the set of projects the actor can see.
func (a Actor) ProjectScope() Scope {
	switch a.Role {
	case RoleAdmin, RoleManager:
		return Scope{Kind: ScopeAll}
	case RoleDeveloper:
		return Scope{Kind: ScopeMember, UserID: a.UserID}
	case RoleClient:
		if a.ClientID != 0 {
			return Scope{Kind: ScopeClient, ClientID: a.ClientID}
		}
	}
	return Scope{Kind: ScopeNone}
}

// ProjectAccess is what the policy needs to know about one project.
type ProjectAccess struct {
	ClientID int64
	IsMember bool // the actor is a staff member of the project
}

// Includes reports whether a project lies inside the scope.
func (s Scope) Includes(p ProjectAccess) bool {
	switch s.Kind {
	case ScopeAll:
		return true
	case ScopeMember:
		return p.IsMember
	case ScopeClient:
		return p.ClientID == s.ClientID
	}
	return false
}
