package demo_test

import (
	"context"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestDemoSLA: the demo shows Acme's targets, one request past its target
// (recorded as a breach by the first check) and one near the warning,
// whatever the hour of the start. The other requests on the board, filed
// by the intake demo, age with the clock as real ones do: on a weekday
// afternoon the one filed yesterday nears its target too, and later
// breaches it, so they are not the demo's promise.
func TestDemoSLA(t *testing.T) {
	t.Parallel()
	st := seeded(t)
	ctx := context.Background()
	if _, err := st.CheckSLAs(ctx); err != nil {
		t.Fatal(err)
	}
	var shop int64
	if err := st.DB().Table("projects").Where("name = ?", "Online shop").Pluck("id", &shop).Error; err != nil {
		t.Fatal(err)
	}
	var pm models.User
	if err := st.DB().Table("users").Where("email = ?", "pm@example.com").Take(&pm).Error; err != nil {
		t.Fatal(err)
	}
	clocks, err := st.Clocks(ctx, pm.Actor(), shop)
	if err != nil {
		t.Fatal(err)
	}
	clock := func(title string) (int64, *models.SLAClock) {
		var id int64
		if err := st.DB().Table("tasks").Where("project_id = ? AND title = ?", shop, title).Pluck("id", &id).Error; err != nil || id == 0 {
			t.Fatalf("the demo request %q: %v", title, err)
		}
		fr := clocks[id].FirstResponse
		if fr == nil {
			t.Fatalf("the demo request %q has no first-response clock", title)
		}
		return id, fr
	}
	late, fr := clock("Prices on the invoice page show without VAT")
	if !fr.Breached {
		t.Errorf("the late request's clock = %+v, want breached", *fr)
	}
	var breaches int64
	if err := st.DB().Table("sla_alerts").Where("task_id = ? AND goal = 'first_response' AND level = 'breach'", late).Count(&breaches).Error; err != nil {
		t.Fatal(err)
	}
	if breaches != 1 {
		t.Errorf("the first check recorded %d breaches of the late request, want 1", breaches)
	}
	if _, fr := clock("Add a consent checkbox to the newsletter sign-up"); fr.Breached || fr.Warned() || fr.UsedSeconds*100 < fr.TargetSeconds*70 {
		t.Errorf("the request near its target: clock = %+v, want 70–80 %% used, no warning yet", *fr)
	}
}
