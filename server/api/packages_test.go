package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// hourPackage gives the client a 10-hour block from 1 November 2026.
func (e *env) hourPackage(clientID int64) models.HourPackage {
	e.t.Helper()
	start := models.Date{Time: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	pk, err := e.store.CreatePackage(context.Background(), e.w.Admin.Actor(), clientID,
		models.HourPackage{Kind: models.PackageBlock, Name: "Launch", Minutes: 600, StartsOn: start})
	if err != nil {
		e.t.Fatal(err)
	}
	return pk
}

// TestPackageBalanceMoney: the client and managers see the overrun's
// amount; a developer sees the same hours and no money, until the agency
// shows developers money.
func TestPackageBalanceMoney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.store.SetRates(ctx, e.w.Admin.Actor(), e.w.A.ID, models.Rates{Currency: "EUR", HourlyRateCents: 9000}); err != nil {
		t.Fatal(err)
	}
	// Nothing but the seed's 90 minutes on 2 November: all overrun.
	path := fmt.Sprintf("/api/clients/%d/packages?from=2026-11-01&to=2026-11-30", e.w.A.ID)
	var b store.PackageBalance
	for _, u := range []models.User{e.w.ClientA, e.w.Manager} {
		res := e.do(req{method: "GET", path: path, token: e.token(u)})
		res.json(t, &b)
		if res.status != 200 || b.OverrunMinutes != 90 || b.Money == nil || b.Money.OverrunCents != 13500 || b.Money.Currency != "EUR" {
			t.Fatalf("%s: %d %s", u.Name, res.status, res.body)
		}
	}
	res := e.do(req{method: "GET", path: path, token: e.token(e.w.Dev)})
	if res.status != 200 || strings.Contains(string(res.body), "cents") || strings.Contains(string(res.body), "EUR") {
		t.Fatalf("developer: %d %s", res.status, res.body)
	}
	show := true
	if _, err := e.store.UpdateSettings(ctx, e.w.Admin.Actor(), store.SettingsPatch{ShowMoneyToDevs: &show}); err != nil {
		t.Fatal(err)
	}
	if res := e.do(req{method: "GET", path: path, token: e.token(e.w.Dev)}); !strings.Contains(string(res.body), `"overrun_cents":13500`) {
		t.Fatalf("developer when shown: %d %s", res.status, res.body)
	}
}

// TestPackageBadInput: every bad field is named, and nothing is written.
func TestPackageBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path := fmt.Sprintf("/api/clients/%d/packages", e.w.A.ID)
	for _, tc := range []struct {
		body  map[string]any
		field string
		code  string
	}{
		{map[string]any{"kind": "monthly", "minutes": 600, "starts_on": "2026-11-01"}, "kind", "package_kind"},
		{map[string]any{"kind": "block", "minutes": 30, "starts_on": "2026-11-01"}, "minutes", "package_hours_range"},
		{map[string]any{"kind": "block", "minutes": 600, "rollover": true, "starts_on": "2026-11-01"}, "rollover", "package_rollover_block"},
		{map[string]any{"kind": "block", "minutes": 600}, "starts_on", "package_start_required"},
		{map[string]any{"kind": "block", "minutes": 600, "starts_on": "1 Nov"}, "starts_on", "date_format"},
		{map[string]any{"kind": "block", "minutes": 600, "starts_on": "2026-11-01", "ends_on": "2026-10-01"}, "ends_on", "period_order"},
		{map[string]any{"kind": "block", "minutes": "ten", "starts_on": "2026-11-01"}, "minutes", ""},
	} {
		before := e.snapshot()
		res := e.do(req{method: "POST", path: path, token: e.token(e.w.Manager), body: tc.body})
		if res.status < 400 || res.status >= 500 || res.errorFields(t)[tc.field] == "" || !strings.Contains(string(res.body), tc.code) {
			t.Errorf("%v: %d %s", tc.body, res.status, res.body)
		}
		if e.snapshot() != before {
			t.Errorf("%v: refused request changed the database", tc.body)
		}
	}
	if res := e.do(req{method: "GET", path: path + "?from=2026-13-01", token: e.token(e.w.Manager)}); res.status != 400 || res.errorFields(t)["from"] == "" {
		t.Errorf("bad from: %d %s", res.status, res.body)
	}
}

// TestPackageNoticeReaches: time that takes Acme's block past 80 % tells
// Acme's user and the admin in the bell, with the package, the level and
// the hours left; developers and another client's user get nothing, not
// even a notice row about Acme's package written to them by mistake.
func TestPackageNoticeReaches(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pk := e.hourPackage(e.w.A.ID)
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/time", e.w.TaskA.ID), token: e.token(e.w.Dev),
		body: map[string]any{"started_at": e.clock.Now().Add(-8 * time.Hour).Format(time.RFC3339), "minutes": 400, "note": ""}})
	if res.status != 201 {
		t.Fatalf("time: %d %s", res.status, res.body)
	}
	if err := e.db.Exec(`INSERT INTO notifications (user_id, kind, package_id, package_level, package_left_minutes)
		VALUES (?, 'package_used', ?, 80, 110)`, e.w.ClientB.ID, pk.ID).Error; err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.User{e.w.ClientA, e.w.Admin} {
		_, items := e.notes(u)
		if len(items) == 0 || items[0].Kind != models.NotePackageUsed || *items[0].PackageID != pk.ID || items[0].PackageName != "Launch" ||
			*items[0].PackageLevel != 80 || *items[0].PackageLeftMinutes != 110 || items[0].ClientID != e.w.A.ID {
			t.Errorf("%s's bell: %+v", u.Email, items)
		}
	}
	for _, u := range []models.User{e.w.Dev, e.w.OtherDev, e.w.ClientB} {
		_, items := e.notes(u)
		for _, n := range items {
			if n.Kind == models.NotePackageUsed {
				t.Errorf("%s is told about Acme's package: %+v", u.Email, n)
			}
		}
	}
}
