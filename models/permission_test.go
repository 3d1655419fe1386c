package models

import "testing"

func TestCan(t *testing.T) {
	t.Parallel()
	want := map[Action][]Role{
		ActManageClients:  {RoleAdmin, RoleManager},
		ActManageProjects: {RoleAdmin, RoleManager},
		ActInvite:         {RoleAdmin, RoleManager},
		ActListUsers:      {RoleAdmin, RoleManager, RoleDeveloper},
		ActManageUsers:    {RoleAdmin},
		ActEditTasks:      {RoleAdmin, RoleManager, RoleDeveloper},
		ActInternal:       {RoleAdmin, RoleManager, RoleDeveloper},
		ActModerate:       {RoleAdmin, RoleManager},
		ActRunWorkshops:   {RoleAdmin, RoleManager},
	}
	for act, roles := range want {
		for _, r := range append(Roles, Role("intruder")) {
			allowed := false
			for _, ok := range roles {
				allowed = allowed || ok == r
			}
			if got := (Actor{UserID: 1, Role: r}).Can(act); got != allowed {
				t.Errorf("%s can %s = %v, want %v", r, act, got, allowed)
			}
		}
	}
}

func TestCanInviteAs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		actor, invitee Role
		want           bool
	}{
		{RoleAdmin, RoleAdmin, true},
		{RoleAdmin, RoleClient, true},
		{RoleManager, RoleAdmin, false},
		{RoleManager, RoleManager, true},
		{RoleManager, RoleDeveloper, true},
		{RoleManager, RoleClient, true},
		{RoleDeveloper, RoleDeveloper, false},
		{RoleClient, RoleClient, false},
	}
	for _, tt := range tests {
		if got := (Actor{Role: tt.actor}).CanInviteAs(tt.invitee); got != tt.want {
			t.Errorf("%s invites %s = %v, want %v", tt.actor, tt.invitee, got, tt.want)
		}
	}
}

func TestProjectScope(t *testing.T) {
	t.Parallel()
	own := ProjectAccess{ClientID: 7, IsMember: true}
	foreign := ProjectAccess{ClientID: 8}
	sameClientNotMember := ProjectAccess{ClientID: 7}
	tests := []struct {
		name  string
		actor Actor
		p     ProjectAccess
		want  bool
	}{
		{"admin sees any", Actor{1, RoleAdmin, 0}, foreign, true},
		{"manager sees any", Actor{2, RoleManager, 0}, foreign, true},
		{"developer sees member project", Actor{3, RoleDeveloper, 0}, own, true},
		{"developer does not see other project", Actor{3, RoleDeveloper, 0}, sameClientNotMember, false},
		{"client sees own company's project", Actor{4, RoleClient, 7}, sameClientNotMember, true},
		{"client does not see other company", Actor{4, RoleClient, 7}, foreign, false},
		{"client without company sees nothing", Actor{5, RoleClient, 0}, ProjectAccess{}, false},
		{"unknown role sees nothing", Actor{6, Role("x"), 0}, own, false},
	}
	for _, tt := range tests {
		if got := tt.actor.ProjectScope().Includes(tt.p); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
