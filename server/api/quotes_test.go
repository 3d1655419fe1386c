package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// quoted creates a card in set on the project with a quote of 8 hours sent
// to its client.
func (e *env) quoted(p models.Project) models.Task {
	e.t.Helper()
	ctx, admin := context.Background(), e.w.Admin.Actor()
	title := "Quoted work on " + p.Name
	tk, err := e.store.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID, Status: models.StatusSet, Fields: models.TaskFields{Title: &title}})
	if err != nil {
		e.t.Fatal(err)
	}
	tk, err = e.store.Quote(ctx, admin, tk.ID, store.SendQuote, store.QuoteInput{Version: tk.Version, Minutes: 480})
	if err != nil {
		e.t.Fatal(err)
	}
	return tk
}

func (e *env) quoteStep(u models.User, tk models.Task, step string, body map[string]any) response {
	e.t.Helper()
	body["version"] = tk.Version
	return e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/%s", tk.ID, step), token: e.token(u), body: body})
}

func (e *env) moveTo(u models.User, tk models.Task, s models.Status) response {
	e.t.Helper()
	return e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: e.token(u),
		body: map[string]any{"version": tk.Version, "status": s}})
}

func TestQuotedCardStartsOnlyOnceAccepted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tk := e.quoted(e.w.ProjectA)
	refused := e.moveTo(e.w.Manager, tk, models.StatusInProgress)
	if refused.status != 422 || !strings.Contains(string(refused.body), "quote_not_accepted") || refused.errorFields(t)["status"] == "" {
		t.Fatalf("move before acceptance: %d %s", refused.status, refused.body)
	}
	var home struct {
		Quotes []models.Task `json:"quotes"`
	}
	e.do(req{method: "GET", path: "/api/home", token: e.token(e.w.ClientA)}).json(t, &home)
	if len(home.Quotes) != 1 || home.Quotes[0].ID != tk.ID || *home.Quotes[0].QuoteMinutes != 480 {
		t.Fatalf("client A's quotes to accept: %+v", home.Quotes)
	}
	e.do(req{method: "GET", path: "/api/home", token: e.token(e.w.ClientB)}).json(t, &home)
	if len(home.Quotes) != 0 {
		t.Fatalf("client B sees A's quote: %+v", home.Quotes)
	}
	res := e.quoteStep(e.w.ClientA, tk, "quote/accept", map[string]any{})
	res.json(t, &tk)
	if res.status != 200 || tk.QuoteState != models.QuoteAccepted {
		t.Fatalf("accept: %d %s", res.status, res.body)
	}
	if moved := e.moveTo(e.w.Dev, tk, models.StatusInProgress); moved.status != 200 {
		t.Fatalf("move after acceptance: %d %s", moved.status, moved.body)
	}
}

func TestDeclinedQuoteGoesBackToTheManager(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// The project's PM: a manager on its team.
	if err := e.db.Exec("INSERT INTO project_members (project_id, user_id) VALUES (?, ?)", e.w.ProjectA.ID, e.w.Manager.ID).Error; err != nil {
		t.Fatal(err)
	}
	tk := e.quoted(e.w.ProjectA)
	if res := e.quoteStep(e.w.ClientA, tk, "quote/decline", map[string]any{"comment": "  "}); res.status != 422 || res.errorFields(t)["comment"] == "" {
		t.Fatalf("decline without a comment: %d %s", res.status, res.body)
	}
	res := e.quoteStep(e.w.ClientA, tk, "quote/decline", map[string]any{"comment": "Eight hours is too much"})
	res.json(t, &tk)
	if res.status != 200 || tk.QuoteState != models.QuoteDeclined || tk.Status != models.StatusSet {
		t.Fatalf("decline: %d %s", res.status, res.body)
	}
	var notes []struct {
		Kind models.NotificationKind `json:"kind"`
	}
	e.do(req{method: "GET", path: "/api/notifications", token: e.token(e.w.Manager)}).json(t, &struct {
		Items *[]struct {
			Kind models.NotificationKind `json:"kind"`
		} `json:"items"`
	}{&notes})
	if !strings.Contains(fmt.Sprint(notes), string(models.NoteQuoteDeclined)) {
		t.Errorf("the manager was not told of the decline: %v", notes)
	}
	if res := e.moveTo(e.w.Manager, tk, models.StatusInProgress); res.status != 422 {
		t.Fatalf("a declined quote let the card start: %d %s", res.status, res.body)
	}
	if res := e.quoteStep(e.w.Manager, tk, "quote/override", map[string]any{"reason": ""}); res.status != 422 || res.errorFields(t)["reason"] == "" {
		t.Fatalf("override without a reason: %d %s", res.status, res.body)
	}
	res = e.quoteStep(e.w.Manager, tk, "quote/override", map[string]any{"reason": "Agreed by phone at a lower price"})
	res.json(t, &tk)
	if res.status != 200 || tk.QuoteState != models.QuoteOverridden {
		t.Fatalf("override: %d %s", res.status, res.body)
	}
	if res := e.moveTo(e.w.Manager, tk, models.StatusInProgress); res.status != 200 {
		t.Fatalf("move after the override: %d %s", res.status, res.body)
	}
	var acts []struct {
		Kind models.EventKind `json:"kind"`
	}
	e.do(req{method: "GET", path: fmt.Sprintf("/api/tasks/%d/activity", tk.ID), token: e.token(e.w.Manager)}).json(t, &acts)
	got := fmt.Sprint(acts)
	for _, k := range []models.EventKind{models.EventQuoteSent, models.EventQuoteDeclined, models.EventQuoteOverridden} {
		if !strings.Contains(got, string(k)) {
			t.Errorf("activity lacks %s: %s", k, got)
		}
	}
}

// TestQuoteAmountAudience: a quote sent on a project with a rate carries
// hours × rate, frozen at sending; managers and the client read it on the
// card and in its activity, a developer's answers and the live feed have no
// amount at all until the agency shows developers money, and a project
// without a rate quotes hours only.
func TestQuoteAmountAudience(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, admin := context.Background(), e.w.Admin.Actor()
	if _, err := e.store.SetRates(ctx, admin, e.w.A.ID, models.Rates{Currency: "EUR", HourlyRateCents: 9000}); err != nil {
		t.Fatal(err)
	}
	tk := e.quoted(e.w.ProjectA) // 8 hours
	amount := fmt.Sprintf("/api/tasks/%d/quote/amount", tk.ID)
	activity := fmt.Sprintf("/api/tasks/%d/activity", tk.ID)
	const want = `"amount_cents":72000,"currency":"EUR"`
	// A later rate doesn't touch the sent quote, nor its acceptance.
	if _, err := e.store.SetRates(ctx, admin, e.w.A.ID, models.Rates{Currency: "EUR", HourlyRateCents: 12000}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.User{e.w.Manager, e.w.ClientA} {
		for _, p := range []string{amount, activity} {
			if res := e.do(req{method: "GET", path: p, token: e.token(u)}); res.status != 200 || !strings.Contains(string(res.body), want) {
				t.Fatalf("%s %s: %d %s", u.Name, p, res.status, res.body)
			}
		}
	}
	if res := e.quoteStep(e.w.ClientA, tk, "quote/accept", map[string]any{}); res.status != 200 || strings.Contains(string(res.body), "amount") {
		t.Fatalf("accept: the card's JSON is the same for every reader and has no amount: %d %s", res.status, res.body)
	}
	if res := e.do(req{method: "GET", path: amount, token: e.token(e.w.Manager)}); !strings.Contains(string(res.body), want) {
		t.Fatalf("accepted: %s", res.body)
	}
	for _, p := range []string{amount, activity, fmt.Sprintf("/api/tasks/%d", tk.ID)} {
		if res := e.do(req{method: "GET", path: p, token: e.token(e.w.Dev)}); res.status != 200 || strings.Contains(string(res.body), "amount") {
			t.Fatalf("developer %s: %d %s", p, res.status, res.body)
		}
	}
	events, err := e.store.EventsAfter(ctx, e.w.ProjectA.ID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if b, _ := json.Marshal(ev); strings.Contains(string(b), "amount") {
			t.Fatalf("the live feed carries money: %s", b)
		}
	}
	show := true
	if _, err := e.store.UpdateSettings(ctx, admin, store.SettingsPatch{ShowMoneyToDevs: &show}); err != nil {
		t.Fatal(err)
	}
	if res := e.do(req{method: "GET", path: amount, token: e.token(e.w.Dev)}); !strings.Contains(string(res.body), want) {
		t.Fatalf("developer when shown: %d %s", res.status, res.body)
	}
	unpriced := e.quoted(e.w.ProjectB) // client B has no rate
	if res := e.do(req{method: "GET", path: fmt.Sprintf("/api/tasks/%d/quote/amount", unpriced.ID), token: e.token(e.w.Manager)}); res.status != 200 || string(res.body) != "{}\n" {
		t.Fatalf("no rate: %d %q", res.status, res.body)
	}
}
