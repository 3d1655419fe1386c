package models

import (
	"errors"
	"testing"
)

func TestRatesRate(t *testing.T) {
	cents := func(v int64) *int64 { return &v }
	r := Rates{Currency: "EUR", HourlyRateCents: 9000, Projects: []ProjectRate{
		{ProjectID: 1, HourlyRateCents: cents(12000)},
		{ProjectID: 2},
		{ProjectID: 3, HourlyRateCents: cents(0)},
	}}
	for _, c := range []struct {
		name    string
		project int64
		want    int64
	}{
		{"override", 1, 12000},
		{"no override takes the client's", 2, 9000},
		{"a zero override is free work, not the client's rate", 3, 0},
		{"a project not listed takes the client's", 4, 9000},
	} {
		if got := r.Rate(c.project); got != c.want {
			t.Errorf("%s: Rate(%d) = %d, want %d", c.name, c.project, got, c.want)
		}
	}
}

func TestRatesCheck(t *testing.T) {
	big := int64(RateMaxCents + 1)
	neg := int64(-1)
	for _, c := range []struct {
		name  string
		in    Rates
		field string // "" = valid
		kind  *ProblemKind
	}{
		{"valid", Rates{Currency: "PLN", HourlyRateCents: 15000}, "", nil},
		{"no rate yet", Rates{Currency: "EUR"}, "", nil},
		{"lower-case currency", Rates{Currency: "eur"}, "currency", CurrencyChoice},
		{"unknown currency", Rates{Currency: "XXX"}, "currency", CurrencyChoice},
		{"negative rate", Rates{Currency: "EUR", HourlyRateCents: -1}, "hourly_rate_cents", RateRange},
		{"huge rate", Rates{Currency: "EUR", HourlyRateCents: big}, "hourly_rate_cents", RateRange},
		{"negative override", Rates{Currency: "EUR", Projects: []ProjectRate{{ProjectID: 1, HourlyRateCents: &neg}}}, "projects", RateRange},
	} {
		err := c.in.Check()
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var v *ValidationError
		if !errors.As(err, &v) || v.Fields[c.field].Code() != c.kind.Code() {
			t.Errorf("%s: got %v, want %s on %s", c.name, err, c.kind.Code(), c.field)
		}
	}
}

func TestSeesMoney(t *testing.T) {
	for _, c := range []struct {
		role       Role
		showToDevs bool
		want       bool
	}{
		{RoleAdmin, false, true}, {RoleManager, false, true}, {RoleClient, false, true},
		{RoleDeveloper, false, false}, {RoleDeveloper, true, true},
	} {
		if got := (Actor{Role: c.role}).SeesMoney(c.showToDevs); got != c.want {
			t.Errorf("%s showToDevs=%v: %v, want %v", c.role, c.showToDevs, got, c.want)
		}
	}
}
