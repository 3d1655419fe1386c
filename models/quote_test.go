package models

import (
	"errors"
	"testing"
)

func TestQuoteSteps(t *testing.T) {
	pm, client, dev := Actor{UserID: 1, Role: RoleManager}, Actor{UserID: 2, Role: RoleClient}, Actor{UserID: 3, Role: RoleDeveloper}
	cases := []struct {
		name  string
		state QuoteState
		step  func(t *Task) (Step, error)
		want  QuoteState
		field string // the problem's field; "" with forbidden false means allowed
		deny  bool
	}{
		{"pm sends", QuoteNone, func(t *Task) (Step, error) { return SendQuote(t, pm, 480) }, QuoteSent, "", false},
		{"pm sends again after a decline", QuoteDeclined, func(t *Task) (Step, error) { return SendQuote(t, pm, 240) }, QuoteSent, "", false},
		{"no resending an accepted quote", QuoteAccepted, func(t *Task) (Step, error) { return SendQuote(t, pm, 240) }, QuoteAccepted, "quote_minutes", false},
		{"hours in range", QuoteNone, func(t *Task) (Step, error) { return SendQuote(t, pm, 0) }, QuoteNone, "quote_minutes", false},
		{"developer cannot quote", QuoteNone, func(t *Task) (Step, error) { return SendQuote(t, dev, 60) }, QuoteNone, "", true},
		{"client accepts", QuoteSent, func(t *Task) (Step, error) { return AcceptQuote(t, client) }, QuoteAccepted, "", false},
		{"pm cannot accept for the client", QuoteSent, func(t *Task) (Step, error) { return AcceptQuote(t, pm) }, QuoteSent, "", true},
		{"nothing to accept", QuoteNone, func(t *Task) (Step, error) { return AcceptQuote(t, client) }, QuoteNone, "quote", false},
		{"decline needs a comment", QuoteSent, func(t *Task) (Step, error) { return DeclineQuote(t, client, " ") }, QuoteSent, "comment", false},
		{"client declines", QuoteSent, func(t *Task) (Step, error) { return DeclineQuote(t, client, "Too much") }, QuoteDeclined, "", false},
		{"override needs a reason", QuoteSent, func(t *Task) (Step, error) { return OverrideQuote(t, pm, "") }, QuoteSent, "reason", false},
		{"pm overrides", QuoteDeclined, func(t *Task) (Step, error) { return OverrideQuote(t, pm, "Agreed by phone") }, QuoteOverridden, "", false},
		{"client cannot override", QuoteSent, func(t *Task) (Step, error) { return OverrideQuote(t, client, "x") }, QuoteSent, "", true},
		{"nothing to override", QuoteAccepted, func(t *Task) (Step, error) { return OverrideQuote(t, pm, "x") }, QuoteAccepted, "quote", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := 60
			tk := Task{Status: StatusSet, QuoteState: c.state, QuoteMinutes: &m}
			_, err := c.step(&tk)
			var ve *ValidationError
			switch {
			case c.deny:
				if !errors.Is(err, ErrForbidden) {
					t.Fatalf("want forbidden, got %v", err)
				}
			case c.field != "":
				if !errors.As(err, &ve) || ve.Fields[c.field].Code() == "" {
					t.Fatalf("want a problem on %s, got %v", c.field, err)
				}
			case err != nil:
				t.Fatal(err)
			}
			if err == nil && tk.QuoteState != c.want {
				t.Errorf("state %s, want %s", tk.QuoteState, c.want)
			}
		})
	}
}

func TestMoveWaitsForTheQuote(t *testing.T) {
	for _, c := range []struct {
		state QuoteState
		to    Status
		ok    bool
	}{
		{QuoteNone, StatusInProgress, true},
		{QuoteSent, StatusInProgress, false},
		{QuoteDeclined, StatusInProgress, false},
		{QuoteAccepted, StatusInProgress, true},
		{QuoteOverridden, StatusInProgress, true},
		{QuoteSent, StatusDone, true}, // only starting the work waits
	} {
		tk := Task{Status: StatusSet, QuoteState: c.state}
		_, err := Move(&tk, c.to, MoveInput{})
		var ve *ValidationError
		refused := errors.As(err, &ve) && ve.Fields["status"].Code() == "quote_not_accepted"
		if refused == c.ok {
			t.Errorf("quote %s, move to %s: err %v", c.state, c.to, err)
		}
	}
}
