package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/server/auth"
)

func TestInvitationFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mgr := e.token(e.w.Manager)
	created := e.do(req{method: "POST", path: "/api/invitations", token: mgr,
		body: map[string]any{"email": "New.Client@Acme.test", "role": "client", "client_id": e.w.A.ID}})
	if created.status != 201 {
		t.Fatalf("invite: %d %s", created.status, created.body)
	}
	var inv struct {
		URL   string `json:"url"`
		Email string `json:"email"`
	}
	created.json(t, &inv)
	prefix := testSite + "/invite#"
	if !strings.HasPrefix(inv.URL, prefix) || inv.Email != "new.client@acme.test" {
		t.Fatalf("invitation %+v: want a %s… link and a lower-cased address", inv, prefix)
	}
	token := strings.TrimPrefix(inv.URL, prefix)
	var stored []byte
	if err := e.db.Raw("SELECT token_hash FROM invitations WHERE email = ?", inv.Email).Row().Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if string(stored) == token || string(stored) != string(auth.HashToken(token)) {
		t.Error("the invitation token must be stored hashed")
	}
	if lookup := e.do(req{method: "POST", path: "/api/invitations/lookup", body: map[string]string{"token": token}}); lookup.status != 200 ||
		!strings.Contains(string(lookup.body), `"client_name":"Acme"`) {
		t.Fatalf("lookup: %d %s", lookup.status, lookup.body)
	}
	weak := e.do(req{method: "POST", path: "/api/invitations/accept", body: map[string]string{"token": token, "name": "Nia", "password": "short"}})
	if weak.status != 422 || weak.errorFields(t)["password"] == "" {
		t.Fatalf("weak password: %d %s", weak.status, weak.body)
	}
	accepted := e.do(req{method: "POST", path: "/api/invitations/accept", body: map[string]string{"token": token, "name": "Nia New", "password": "a long and fine passphrase"}})
	if accepted.status != 200 {
		t.Fatalf("accept: %d %s", accepted.status, accepted.body)
	}
	projects := e.do(req{method: "GET", path: "/api/projects", token: accessToken(t, accepted)})
	if projects.status != 200 || !strings.Contains(string(projects.body), "Acme site") || strings.Contains(string(projects.body), "CANARY-B") {
		t.Errorf("the new client user must see exactly Acme's projects: %s", projects.body)
	}
	again := e.do(req{method: "POST", path: "/api/invitations/accept", body: map[string]string{"token": token, "name": "Mallory", "password": "another long passphrase"}})
	if again.status != 410 {
		t.Errorf("second use of a link: %d, want 410", again.status)
	}
}

func TestInvitationExpiresAndRevokes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mgr := e.token(e.w.Manager)
	invite := func(email string) string {
		res := e.do(req{method: "POST", path: "/api/invitations", token: mgr, body: map[string]string{"email": email, "role": "developer"}})
		var v struct{ URL string }
		res.json(t, &v)
		return v.URL[strings.Index(v.URL, "#")+1:]
	}
	old := invite("twice@agency.test")
	newer := invite("twice@agency.test")
	if res := e.do(req{method: "POST", path: "/api/invitations/lookup", body: map[string]string{"token": old}}); res.status != 410 {
		t.Errorf("an older link after re-inviting: %d, want 410", res.status)
	}
	if res := e.do(req{method: "POST", path: "/api/invitations", token: mgr, body: map[string]string{"email": "boss@agency.test", "role": "admin"}}); res.status != 403 {
		t.Errorf("manager inviting an admin: %d, want 403", res.status)
	}
	e.clock.Advance(7*24*time.Hour + time.Minute)
	res := e.do(req{method: "POST", path: "/api/invitations/accept", body: map[string]string{"token": newer, "name": "Late", "password": "a long and fine passphrase"}})
	if res.status != 410 {
		t.Errorf("expired link: %d, want 410", res.status)
	}
}

func TestSetupLinkCreatesFirstAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	// The seeded world has an admin: no set-up link is issued.
	if issued, err := e.store.SetupInvitation(ctx, auth.HashToken("x")); err != nil || issued {
		t.Fatalf("set-up link with an admin present: issued=%v err=%v", issued, err)
	}
	e.db.Exec("UPDATE users SET active = false WHERE role = 'admin'")
	if issued, err := e.store.SetupInvitation(ctx, auth.HashToken("first")); err != nil || !issued {
		t.Fatalf("set-up link: issued=%v err=%v", issued, err)
	}
	if issued, _ := e.store.SetupInvitation(ctx, auth.HashToken("second")); !issued {
		t.Fatal("a restart without an admin issues a new link")
	}
	if res := e.do(req{method: "POST", path: "/api/invitations/lookup", body: map[string]string{"token": "first"}}); res.status != 410 {
		t.Errorf("the previous set-up link: %d, want 410", res.status)
	}
	noEmail := e.do(req{method: "POST", path: "/api/invitations/accept", body: map[string]string{"token": "second", "name": "Root", "password": "a long and fine passphrase"}})
	if noEmail.status != 422 || noEmail.errorFields(t)["email"] == "" {
		t.Fatalf("set-up without e-mail: %d %s", noEmail.status, noEmail.body)
	}
	res := e.do(req{method: "POST", path: "/api/invitations/accept", body: map[string]string{"token": "second", "name": "Root", "email": "root@agency.test", "password": "a long and fine passphrase"}})
	if res.status != 200 || !strings.Contains(string(res.body), `"role":"admin"`) {
		t.Errorf("set-up accept: %d %s", res.status, res.body)
	}
}
