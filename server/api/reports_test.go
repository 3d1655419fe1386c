package api_test

import (
	"strings"
	"testing"
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
