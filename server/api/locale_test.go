package api_test

import (
	"strings"
	"testing"
)

func TestProfileLocale(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.w.Dev)
	var me struct {
		Name   string  `json:"name"`
		Locale *string `json:"locale"`
	}
	e.do(req{method: "GET", path: "/api/me", token: tok}).json(t, &me)
	if me.Locale != nil {
		t.Fatalf("a new account has chosen no language, got %q", *me.Locale)
	}

	if res := e.do(req{method: "PATCH", path: "/api/me", token: tok, body: map[string]string{"locale": "pl"}}); res.status != 200 {
		t.Fatalf("choose pl: %d %s", res.status, res.body)
	}
	bad := e.do(req{method: "PATCH", path: "/api/me", token: tok, body: map[string]string{"locale": "de", "name": "Changed"}})
	if bad.status != 422 || !strings.Contains(bad.errorFields(t)["locale"], "en, pl, ru, ja") {
		t.Fatalf("unknown language: %d %s", bad.status, bad.body)
	}
	// Only the language changes; the name is kept, and a refusal changes nothing.
	e.do(req{method: "GET", path: "/api/me", token: tok}).json(t, &me)
	if me.Locale == nil || *me.Locale != "pl" || me.Name != e.w.Dev.Name {
		t.Fatalf("after choosing pl and a refused de: %+v", me)
	}
	if res := e.do(req{method: "PATCH", path: "/api/me", token: tok, body: map[string]string{"name": "Renamed"}}); res.status != 200 {
		t.Fatalf("rename: %d %s", res.status, res.body)
	}
	e.do(req{method: "GET", path: "/api/me", token: tok}).json(t, &me)
	if me.Locale == nil || *me.Locale != "pl" || me.Name != "Renamed" {
		t.Fatalf("a rename must keep the language: %+v", me)
	}
}

func TestAgencyDefaultLocale(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.w.Admin)
	var set struct {
		DefaultLocale string `json:"default_locale"`
	}
	e.do(req{method: "GET", path: "/api/settings", token: admin}).json(t, &set)
	if set.DefaultLocale != "en" {
		t.Fatalf("default language before any choice: %q", set.DefaultLocale)
	}
	bad := e.do(req{method: "PATCH", path: "/api/settings", token: admin, body: map[string]any{"default_locale": "xx", "buffer_percent": 30}})
	if bad.status != 422 || bad.errorFields(t)["default_locale"] == "" {
		t.Fatalf("unknown language: %d %s", bad.status, bad.body)
	}
	if res := e.do(req{method: "PATCH", path: "/api/settings", token: admin, body: map[string]any{"default_locale": "ru"}}); res.status != 200 {
		t.Fatalf("set ru: %d %s", res.status, res.body)
	}
	var all struct {
		DefaultLocale string `json:"default_locale"`
		BufferPercent int    `json:"buffer_percent"`
	}
	e.do(req{method: "GET", path: "/api/settings", token: e.token(e.w.ClientA)}).json(t, &all)
	if all.DefaultLocale != "ru" || all.BufferPercent == 30 {
		t.Fatalf("after ru and a refused xx: %+v", all)
	}

	// The invitation page speaks the agency's language.
	created := e.do(req{method: "POST", path: "/api/invitations", token: admin,
		body: map[string]any{"email": "nia@acme.test", "role": "developer"}})
	var inv struct {
		URL string `json:"url"`
	}
	created.json(t, &inv)
	token := inv.URL[strings.Index(inv.URL, "#")+1:]
	lookup := e.do(req{method: "POST", path: "/api/invitations/lookup", body: map[string]string{"token": token}})
	if lookup.status != 200 || !strings.Contains(string(lookup.body), `"locale":"ru"`) {
		t.Fatalf("lookup: %d %s", lookup.status, lookup.body)
	}
}
