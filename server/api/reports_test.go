package api_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// TestTimeReportCSV downloads a month by person as a file, with the column
// names in the reader's language.
func TestTimeReportCSV(t *testing.T) {
	e := newEnv(t)
	res := e.do(req{method: "GET", path: "/api/reports/time.csv?from=2026-11-01&to=2026-11-30&group=person", token: e.token(e.w.Manager)})
	if res.status != 200 {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if ct, cd := res.header.Get("Content-Type"), res.header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" ||
		cd != `attachment; filename="time-2026-11-01-2026-11-30.csv"` {
		t.Fatalf("headers %q, %q", ct, cd)
	}
	lines := strings.Split(strings.TrimSuffix(string(res.body), "\n"), "\n")
	if len(lines) != 5 || lines[0] != "Person,Hours,Billable hours" || lines[4] != "Total,2.25,2.25" {
		t.Fatalf("csv:\n%s", res.body)
	}
	for _, u := range []string{e.w.Dev.Name, e.w.OtherDev.Name, e.w.Manager.Name} {
		if !strings.Contains(string(res.body), u+",0.75,0.75\n") {
			t.Errorf("no row of %s:\n%s", u, res.body)
		}
	}
	// A developer's file holds their own time only.
	res = e.do(req{method: "GET", path: "/api/reports/time.csv?from=2026-11-01&to=2026-11-30&group=person", token: e.token(e.w.Dev)})
	if got := string(res.body); res.status != 200 || strings.Count(got, "\n") != 3 || !strings.Contains(got, e.w.Dev.Name+",0.75") {
		t.Fatalf("developer's csv %d:\n%s", res.status, got)
	}
}

// TestTimeReportMoney: managers read each group's billable amount at its
// project's effective rate and the totals per currency, never one sum of
// two currencies, in JSON and in the CSV; a developer's report and file
// have no money at all until the agency shows developers money.
func TestTimeReportMoney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, admin := context.Background(), e.w.Admin.Actor()
	override := int64(10000)
	for _, r := range []struct {
		client int64
		rates  models.Rates
	}{
		{e.w.A.ID, models.Rates{Currency: "EUR", HourlyRateCents: 9000, Projects: []models.ProjectRate{{ProjectID: e.w.ProjectA.ID, HourlyRateCents: &override}}}},
		{e.w.B.ID, models.Rates{Currency: "PLN", HourlyRateCents: 12000}},
	} {
		if _, err := e.store.SetRates(ctx, admin, r.client, r.rates); err != nil {
			t.Fatal(err)
		}
	}
	const month = "from=2026-11-01&to=2026-11-30&group="
	// The seed: 90 minutes on A's project (at its 100 EUR override), 45 on B's.
	var r models.Report
	res := e.do(req{method: "GET", path: "/api/reports/time?" + month + "client", token: e.token(e.w.Manager)})
	res.json(t, &r)
	want := []models.ReportRow{
		{Key: e.w.A.ID, Label: e.w.A.Name, Minutes: 90, BillableMinutes: 90, Amounts: []models.Money{{AmountCents: 15000, Currency: "EUR"}}},
		{Key: e.w.B.ID, Label: e.w.B.Name, Minutes: 45, BillableMinutes: 45, Amounts: []models.Money{{AmountCents: 9000, Currency: "PLN"}}},
	}
	if res.status != 200 || !reflect.DeepEqual(r.Rows, want) ||
		!reflect.DeepEqual(r.Amounts, []models.Money{{AmountCents: 15000, Currency: "EUR"}, {AmountCents: 9000, Currency: "PLN"}}) {
		t.Fatalf("manager: %d %s", res.status, res.body)
	}
	res = e.do(req{method: "GET", path: "/api/reports/time.csv?" + month + "client", token: e.token(e.w.Manager)})
	if got := string(res.body); !strings.HasPrefix(got, "Client,Hours,Billable hours,Amount,Currency\n") ||
		!strings.HasSuffix(got, "Total,2.25,2.25,150.00,EUR\nTotal,,,90.00,PLN\n") {
		t.Fatalf("manager's csv:\n%s", got)
	}

	for _, p := range []string{"/api/reports/time?" + month + "person", "/api/reports/time.csv?" + month + "person"} {
		if res := e.do(req{method: "GET", path: p, token: e.token(e.w.Dev)}); res.status != 200 ||
			strings.Contains(string(res.body), "mount") || strings.Contains(string(res.body), "EUR") {
			t.Fatalf("developer %s: %d %s", p, res.status, res.body)
		}
	}
	show := true
	if _, err := e.store.UpdateSettings(ctx, admin, store.SettingsPatch{ShowMoneyToDevs: &show}); err != nil {
		t.Fatal(err)
	}
	res = e.do(req{method: "GET", path: "/api/reports/time?" + month + "person", token: e.token(e.w.Dev)})
	if !strings.Contains(string(res.body), `"amounts":[{"amount_cents":7500,"currency":"EUR"}]`) {
		t.Fatalf("developer when shown: %d %s", res.status, res.body)
	}
}
