package api_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// statementRead is what one reader gets of a statement: its JSON and CSV.
type statementRead struct{ json, csv []byte }

func (e *env) readStatement(t *testing.T, token string, id string) statementRead {
	t.Helper()
	j := e.do(req{method: "GET", path: "/api/statements/" + id, token: token})
	c := e.do(req{method: "GET", path: "/api/statements/" + id + "/csv", token: token})
	if j.status != 200 || c.status != 200 {
		t.Fatalf("read statement %s: %d %s / %d %s", id, j.status, j.body, c.status, c.body)
	}
	return statementRead{j.body, c.body}
}

// TestIssuedStatementNeverChanges issues November's statement for client A
// and then changes everything it was computed from: its entries (refused,
// they are locked), the rates, the rounding, the hour package, the card's
// title, a new entry in the period. Every reader's JSON and CSV stay byte for byte the same,
// and a later draft over the same days does not list the locked entries.
func TestIssuedStatementNeverChanges(t *testing.T) {
	e := newEnv(t)
	pm, client, dev := e.token(e.w.Manager), e.token(e.w.ClientA), e.token(e.w.Dev)
	// The manager's entry is marked internal: its note never reaches a client.
	if res := e.do(req{method: "PATCH", path: "/api/time-entries/" + id(e.w.EntryPM.ID), token: pm,
		body: map[string]any{"internal": true, "note": "INTERNAL-ONLY call notes"}}); res.status != 200 {
		t.Fatalf("internal: %d %s", res.status, res.body)
	}
	// An hour's block for November: of the 90 minutes, 30 are overrun.
	pkg := e.hourPackage(e.w.A.ID)
	if r := e.do(req{method: "PUT", path: "/api/packages/" + id(pkg.ID), token: pm, body: map[string]any{
		"kind": "block", "name": "November hour", "minutes": 60, "starts_on": "2026-11-01"}}); r.status != 200 {
		t.Fatalf("package: %d %s", r.status, r.body)
	}
	if r := e.do(req{method: "PUT", path: "/api/clients/" + id(e.w.A.ID) + "/rates", token: pm,
		body: map[string]any{"currency": "EUR", "hourly_rate_cents": 9000, "projects": []any{}}}); r.status != 200 {
		t.Fatalf("rates: %d %s", r.status, r.body)
	}
	res := e.do(req{method: "POST", path: "/api/clients/" + id(e.w.A.ID) + "/statements", token: pm,
		body: map[string]string{"from": "2026-11-01", "to": "2026-11-30"}})
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var draft struct {
		ID      int64 `json:"id"`
		Minutes int   `json:"minutes"`
	}
	res.json(t, &draft)
	sid := id(draft.ID)
	if draft.Minutes != 90 {
		t.Fatalf("draft minutes %d: %s", draft.Minutes, res.body)
	}
	// Clients never see a draft.
	if r := e.do(req{method: "GET", path: "/api/statements/" + sid, token: client}); r.status != 404 {
		t.Fatalf("client read a draft: %d", r.status)
	}
	if r := e.do(req{method: "PUT", path: "/api/statements/" + sid + "/notes/" + id(e.w.EntryA.ID), token: pm,
		body: map[string]string{"note": "Menu markup, checked on phones"}}); r.status != 200 {
		t.Fatalf("wording: %d %s", r.status, r.body)
	}
	if r := e.do(req{method: "PUT", path: "/api/statements/" + sid + "/notes/" + id(e.w.EntryB.ID), token: pm,
		body: map[string]string{"note": "not ours"}}); r.status != 422 || !strings.Contains(string(r.body), "statement_entry") {
		t.Fatalf("wording of another client's entry: %d %s", r.status, r.body)
	}
	res = e.do(req{method: "POST", path: "/api/statements/" + sid + "/issue", token: pm})
	var issued struct {
		Number string `json:"number"`
	}
	res.json(t, &issued)
	if res.status != 200 || issued.Number != e.clock.Now().Format("2006")+"-0001" {
		t.Fatalf("issue: %d %s", res.status, res.body)
	}
	before := map[string]statementRead{"pm": e.readStatement(t, pm, sid), "client": e.readStatement(t, client, sid), "dev": e.readStatement(t, dev, sid)}
	for _, want := range []string{"Menu markup, checked on phones", `"amount_cents":13500`,
		`"packages":[{"name":"November hour","kind":"block","granted_minutes":60,"left_before_minutes":60,"used_minutes":60,"left_after_minutes":0}],"overrun_minutes":30,"overrun_cents":4500}`} {
		if !bytes.Contains(before["client"].json, []byte(want)) {
			t.Errorf("client's statement lacks %q: %s", want, before["client"].json)
		}
	}
	if bytes.Contains(before["client"].json, []byte("INTERNAL-ONLY")) || bytes.Contains(before["client"].csv, []byte("INTERNAL-ONLY")) {
		t.Errorf("internal note reached the client: %s", before["client"].json)
	}
	var devView struct {
		AmountCents *int64 `json:"amount_cents"`
	}
	if err := json.Unmarshal(before["dev"].json, &devView); err != nil || devView.AmountCents != nil || bytes.Contains(before["dev"].csv, []byte("Amount")) ||
		!bytes.Contains(before["dev"].json, []byte(`"overrun_minutes":30,"overrun_cents":null`)) {
		t.Errorf("a developer read amounts: %s\n%s", before["dev"].json, before["dev"].csv)
	}

	// Its entries are locked, with a reason in a code the app translates.
	for _, r := range []req{
		{method: "PATCH", path: "/api/time-entries/" + id(e.w.EntryA.ID), token: pm, body: map[string]any{"note": "rewritten"}},
		{method: "PATCH", path: "/api/time-entries/" + id(e.w.EntryA.ID), token: dev, body: map[string]any{"minutes": 5}},
		{method: "DELETE", path: "/api/time-entries/" + id(e.w.EntryPM.ID), token: pm},
	} {
		if got := e.do(r); got.conflict(t) != "frozen" || !strings.Contains(string(got.body), `"entry":{"code":"entry_locked","params":{"number":"`+issued.Number+`"}}`) {
			t.Errorf("%s %s on a locked entry: %d %s", r.method, r.path, got.status, got.body)
		}
	}
	if r := e.do(req{method: "POST", path: "/api/statements/" + sid + "/issue", token: pm}); r.status != 409 || !strings.Contains(string(r.body), "statement_issued") {
		t.Errorf("issued twice: %d %s", r.status, r.body)
	}
	if r := e.do(req{method: "PUT", path: "/api/statements/" + sid + "/notes/" + id(e.w.EntryA.ID), token: pm,
		body: map[string]string{"note": "later"}}); r.status != 409 {
		t.Errorf("wording after issue: %d %s", r.status, r.body)
	}
	// Change what the statement was computed from.
	for _, r := range []req{
		{method: "PUT", path: "/api/clients/" + id(e.w.A.ID) + "/rates", token: pm, body: map[string]any{"currency": "USD", "hourly_rate_cents": 15000, "projects": []any{}}},
		{method: "PATCH", path: "/api/settings", token: e.token(e.w.Admin), body: map[string]any{"time_rounding": 15}},
		{method: "PUT", path: "/api/packages/" + id(pkg.ID), token: pm, body: map[string]any{
			"kind": "block", "name": "Renamed", "minutes": 6000, "starts_on": "2026-10-01"}},
		{method: "POST", path: "/api/tasks/" + id(e.w.TaskA.ID) + "/time", token: dev,
			body: map[string]any{"started_at": "2026-11-20T10:00:00Z", "minutes": 20, "note": "After the statement"}},
	} {
		if got := e.do(r); got.status >= 300 {
			t.Fatalf("%s %s: %d %s", r.method, r.path, got.status, got.body)
		}
	}
	if err := e.db.Exec("UPDATE tasks SET title = 'Renamed' WHERE id = ?", e.w.TaskA.ID).Error; err != nil {
		t.Fatal(err)
	}
	for who, token := range map[string]string{"pm": pm, "client": client, "dev": dev} {
		after := e.readStatement(t, token, sid)
		if !bytes.Equal(after.json, before[who].json) || !bytes.Equal(after.csv, before[who].csv) {
			t.Errorf("%s's statement changed:\n%s\n%s\nwas\n%s\n%s", who, after.json, after.csv, before[who].json, before[who].csv)
		}
	}
	// The database refuses a change to a locked entry even past the code.
	if err := e.db.Exec("UPDATE time_entries SET minutes = 1 WHERE id = ?", e.w.EntryA.ID).Error; err == nil {
		t.Error("the database changed a locked entry")
	}
	// A later statement over the same days lists only the new entry.
	res = e.do(req{method: "POST", path: "/api/clients/" + id(e.w.A.ID) + "/statements", token: pm,
		body: map[string]string{"from": "2026-11-15", "to": "2026-12-15"}})
	if res.status != 201 || !strings.Contains(string(res.body), `"minutes":30`) || strings.Contains(string(res.body), id(e.w.EntryA.ID)+`,"day"`) {
		t.Fatalf("overlapping draft: %d %s", res.status, res.body)
	}
}
