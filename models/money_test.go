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

func TestQuoteAmount(t *testing.T) {
	cents := func(v int64) *int64 { return &v }
	eur := Rates{Currency: "EUR", HourlyRateCents: 9000, Projects: []ProjectRate{
		{ProjectID: 1, HourlyRateCents: cents(12000)},
		{ProjectID: 3, HourlyRateCents: cents(0)},
	}}
	for _, c := range []struct {
		name    string
		rates   Rates
		project int64
		minutes int
		want    *Money
	}{
		{"hours at the client's rate", eur, 2, 450, &Money{67500, "EUR"}},
		{"the project's override wins", eur, 1, 90, &Money{18000, "EUR"}},
		{"two thirds of a cent round up", Rates{Currency: "EUR", HourlyRateCents: 100}, 2, 1, &Money{2, "EUR"}},
		{"half a cent rounds up", Rates{Currency: "EUR", HourlyRateCents: 1}, 2, 30, &Money{1, "EUR"}},
		{"just under half a cent rounds down", Rates{Currency: "EUR", HourlyRateCents: 1}, 2, 29, &Money{0, "EUR"}},
		{"yen have no minor unit: the rate is in yen", Rates{Currency: "JPY", HourlyRateCents: 8000}, 2, 100, &Money{13333, "JPY"}},
		{"no rate: hours only", Rates{Currency: "EUR"}, 2, 600, nil},
		{"a zero override is free work: hours only", eur, 3, 600, nil},
	} {
		got := QuoteAmount(c.minutes, c.rates, c.project)
		if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("%s: QuoteAmount(%d, …, %d) = %v, want %v", c.name, c.minutes, c.project, got, c.want)
		}
	}
}
