package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/demo"
	"github.com/doska/doska/server/store"
)

// seeded is a fresh database with the demo data set.
func seeded(t *testing.T) *store.Store {
	t.Helper()
	st := store.New(dbtest.New(t), time.Now)
	if _, err := demo.Seed(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDemoHasRealisticAges: the demo tells a story over past days, not a
// moment at start-up: a request filed yesterday afternoon waits in triage,
// a question has waited three business days, and the other cards are
// spread over days.
func TestDemoHasRealisticAges(t *testing.T) {
	t.Parallel()
	st := seeded(t)
	ctx := context.Background()
	pm, err := st.UserByEmail(ctx, "pm@example.com")
	if err != nil {
		t.Fatal(err)
	}
	a := pm.Actor()
	now := time.Now()

	triage, err := st.Triage(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	var newsletter *store.TriageCard
	for i := range triage {
		if triage[i].Title == "Newsletter sign-up shows an error on phones" {
			newsletter = &triage[i]
		}
	}
	y := now.AddDate(0, 0, -1)
	if want := time.Date(y.Year(), y.Month(), y.Day(), 15, 0, 0, 0, now.Location()); newsletter == nil || newsletter.CreatedAt.Sub(want).Abs() > time.Minute {
		t.Fatalf("newsletter request in triage %v, want one filed %v", newsletter, want)
	}

	lists, err := st.Waiting(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	days := map[int]bool{}
	for _, c := range append(lists.Agency, lists.Client...) {
		days[int(now.Sub(c.Wait.Since).Hours()/24)] = true
		if c.Title == "Which photos go on the team page?" {
			if c.Wait.Reason != models.WaitQuestion || now.Sub(c.Wait.Since) < 3*24*time.Hour {
				t.Errorf("team page question waits %s since %v, want a question of 3 business days", c.Wait.Reason, c.Wait.Since)
			}
		}
	}
	if len(days) < 3 {
		t.Errorf("waits fall on %d distinct days, want them spread over past days", len(days))
	}
}

// TestDemoPackageNearItsEnd: Acme's package is about 80 % used, as the
// client's home shows it.
func TestDemoPackageNearItsEnd(t *testing.T) {
	t.Parallel()
	st := seeded(t)
	ctx := context.Background()
	client, err := st.UserByEmail(ctx, "client@acme.example.com")
	if err != nil {
		t.Fatal(err)
	}
	today, err := st.Today(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.ClientBalance(ctx, client.Actor(), *client.ClientID, models.Date{Time: today.AddDate(0, 0, 1-today.Day())}, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Packages) != 1 {
		t.Fatalf("Acme's packages %+v, want one", b.Packages)
	}
	if p := b.Packages[0]; p.GrantedMinutes == 0 || (p.GrantedMinutes-p.LeftMinutes)*100 < 75*p.GrantedMinutes || (p.GrantedMinutes-p.LeftMinutes)*100 > 85*p.GrantedMinutes {
		t.Fatalf("Acme's package %+v, want about 80 %% used", p)
	}
}

// TestDemoShowsMoney: a newcomer sees amounts without setting a rate first.
// Acme bills in euros and Globex in dollars; a quote waits on Acme's home
// with its amount; Globex's time beyond its retainer is priced; and the
// default statement (last month) of Acme has amounts.
func TestDemoShowsMoney(t *testing.T) {
	t.Parallel()
	st := seeded(t)
	ctx := context.Background()
	actor := func(email string) models.Actor {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	acme, globex, pm := actor("client@acme.example.com"), actor("client@globex.example.com"), actor("pm@example.com")

	for _, c := range []struct {
		who      models.Actor
		currency string
	}{{acme, "EUR"}, {globex, "USD"}} {
		r, err := st.Rates(ctx, c.who, c.who.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Currency != c.currency || r.HourlyRateCents == 0 {
			t.Errorf("client %d's rates %+v, want an hourly rate in %s", c.who.ClientID, r, c.currency)
		}
	}

	home, err := st.Home(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	if len(home.Quotes) != 1 {
		t.Fatalf("quotes on Acme's home %+v, want one", home.Quotes)
	}
	q, err := st.QuoteAmount(ctx, acme, home.Quotes[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if q.Amount == nil || q.Amount.Currency != "EUR" || q.Amount.AmountCents != 16*95_00 {
		t.Errorf("the quote's amount %+v, want 16 h at EUR 95", q.Amount)
	}

	today, err := st.Today(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lastMonth := models.Date{Time: today.AddDate(0, -1, 1-today.Day())}
	lastDay := models.Date{Time: today.AddDate(0, 0, -today.Day())}
	b, err := st.ClientBalance(ctx, globex, globex.ClientID, lastMonth, lastDay)
	if err != nil {
		t.Fatal(err)
	}
	if b.OverrunMinutes == 0 || b.Money == nil || b.Money.Currency != "USD" || b.Money.OverrunCents == 0 {
		t.Errorf("Globex's last month %+v with money %+v, want an overrun priced in USD", b.Balance, b.Money)
	}

	s, err := st.CreateStatement(ctx, pm, acme.ClientID, lastMonth, lastDay)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tasks) == 0 || s.AmountCents == nil || *s.AmountCents == 0 || s.Currency != "EUR" {
		t.Errorf("Acme's statement of last month has %d cards, amount %v %s; want cards and an amount in EUR", len(s.Tasks), s.AmountCents, s.Currency)
	}
}
