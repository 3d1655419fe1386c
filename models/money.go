package models

// Rates is what an hour of a client's work costs: the client's rate and
// currency, and per project an optional rate that overrides it.
type Rates struct {
	Currency string `json:"currency"`
	// HourlyRateCents is in minor units of Currency; 0 means no rate set.
	HourlyRateCents int64         `json:"hourly_rate_cents"`
	Projects        []ProjectRate `json:"projects"`
}

// ProjectRate is one project's override; nil bills at the client's rate.
type ProjectRate struct {
	ProjectID       int64  `json:"project_id"`
	Name            string `json:"name"`
	HourlyRateCents *int64 `json:"hourly_rate_cents"`
}

// RateMaxCents bounds a rate: a million a hour is a typing slip.
const RateMaxCents = 100_000_000

// Currencies are the ISO 4217 codes an agency may bill in.
var Currencies = []string{"EUR", "USD", "GBP", "PLN", "CHF", "SEK", "NOK", "DKK", "CZK", "JPY", "CAD", "AUD"}

// Check records every problem of r under fields named like the request's.
func (r Rates) Check() error {
	p := Problems{}
	ok := false
	for _, c := range Currencies {
		ok = ok || r.Currency == c
	}
	if !ok {
		p.Add("currency", CurrencyChoice)
	}
	checkRate(p, "hourly_rate_cents", &r.HourlyRateCents)
	for _, pr := range r.Projects {
		checkRate(p, "projects", pr.HourlyRateCents)
	}
	return p.Err()
}

func checkRate(p Problems, field string, cents *int64) {
	if cents != nil && (*cents < 0 || *cents > RateMaxCents) {
		p.Add(field, RateRange, RateMaxCents/100)
	}
}

// Rate is the hourly rate of project (by id) in cents: its override, or
// the client's rate.
func (r Rates) Rate(projectID int64) int64 {
	for _, pr := range r.Projects {
		if pr.ProjectID == projectID && pr.HourlyRateCents != nil {
			return *pr.HourlyRateCents
		}
	}
	return r.HourlyRateCents
}

// SeesMoney reports whether a may read rates and amounts: managers and
// admins, a client user of its own company, and developers only when the
// agency lets them (setting show_money_to_devs).
func (a Actor) SeesMoney(showToDevs bool) bool {
	return a.Role != RoleDeveloper || showToDevs
}

// Money is an amount in minor units of a currency.
type Money struct {
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
}

// QuoteAmount prices a quote of minutes on a project at its effective
// rate (the project's override, else the client's), rounded to the
// nearest minor unit of the client's currency; nil when the project has no
// rate, so the quote stays hours only.
func QuoteAmount(minutes int, r Rates, projectID int64) *Money {
	rate := r.Rate(projectID)
	if rate == 0 {
		return nil
	}
	return &Money{AmountCents: Amount(minutes, rate), Currency: r.Currency}
}
