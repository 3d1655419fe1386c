package demo_test

import (
	"context"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestDemoSLA: the demo shows Acme's targets, one request past its target
// (recorded as a breach by the first check) and one near the warning;
// other requests on the board (filed by the intake demo) run within target.
func TestDemoSLA(t *testing.T) {
	t.Parallel()
	st := seeded(t)
	ctx := context.Background()
	n, err := st.CheckSLAs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("the first check recorded %d alerts, want the one breach", n)
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
	var breached, near int
	for _, c := range clocks {
		fr := c.FirstResponse
		switch {
		case fr.Breached:
			breached++
		case fr.UsedSeconds*100 >= fr.TargetSeconds*70 && !fr.Warned():
			near++
		}
	}
	if breached != 1 || near != 1 {
		t.Errorf("demo clocks = %+v, want one breached and one near the warning (%d, %d)", clocks, breached, near)
	}
}
