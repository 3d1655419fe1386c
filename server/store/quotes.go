package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// QuoteInput is what a step of a card's quote may carry: the hours when
// sending, the client's comment when declining, the manager's reason when
// overriding.
type QuoteInput struct {
	Version int64
	Minutes int
	Comment string
	Reason  string
}

// QuoteAction is one of the quote rules in models, bound to its input.
type QuoteAction func(t *models.Task, a models.Actor, in QuoteInput) (models.Step, error)

// The four steps of a quote.
var (
	SendQuote QuoteAction = func(t *models.Task, a models.Actor, in QuoteInput) (models.Step, error) {
		return models.SendQuote(t, a, in.Minutes)
	}
	AcceptQuote QuoteAction = func(t *models.Task, a models.Actor, _ QuoteInput) (models.Step, error) {
		return models.AcceptQuote(t, a)
	}
	DeclineQuote QuoteAction = func(t *models.Task, a models.Actor, in QuoteInput) (models.Step, error) {
		return models.DeclineQuote(t, a, in.Comment)
	}
	OverrideQuote QuoteAction = func(t *models.Task, a models.Actor, in QuoteInput) (models.Step, error) {
		return models.OverrideQuote(t, a, in.Reason)
	}
)

// Quote carries out a step of a card's quote in one transaction: the card
// row, its event (the activity and the live update), the client's comment
// on a decline and the notice.
func (s *Store) Quote(ctx context.Context, a models.Actor, id int64, do QuoteAction, in QuoteInput) (models.Task, error) {
	probs := models.Problems{}
	models.RequireVersion(probs, in.Version)
	in.Comment = models.CleanText(probs, "comment", in.Comment, models.CommentMax)
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, in.Version, "", probs.Err()}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		step, err := do(&t, a, in)
		if err != nil {
			return fmt.Errorf("store: quote on task %d: %w", id, err)
		}
		if t, err = s.carryOut(tx, out, a, before, t, step, Position{}, writeNow); err != nil || step.Event != models.EventQuoteSent {
			return err
		}
		return priceQuote(tx, out, t)
	})
	return t.For(a), err
}

// priceQuote freezes the amount of a quote just sent, at the rate the
// project has now, on the card and on the quote_sent event (its activity
// line). Neither is in the card's JSON or the event's payload: the live
// feed goes to every developer, and developers may not see money.
func priceQuote(tx *gorm.DB, out *outbox, t models.Task) error {
	var clientID int64
	if err := tx.Raw("SELECT client_id FROM projects WHERE id = ?", t.ProjectID).Row().Scan(&clientID); err != nil {
		return wrap("price quote", err)
	}
	r, err := rates(tx, clientID)
	if err != nil {
		return err
	}
	amount := models.QuoteAmount(*t.QuoteMinutes, r, t.ProjectID)
	cents, currency := moneyColumns(amount)
	if err := tx.Exec("UPDATE tasks SET quote_amount_cents = ?, quote_currency = ? WHERE id = ?", cents, currency, t.ID).Error; err != nil {
		return wrap("price quote", err)
	}
	for i := range out.events {
		if out.events[i].kind == models.EventQuoteSent && out.events[i].task == t.ID {
			out.events[i].quote = amount
		}
	}
	return nil
}

// QuoteMoney is the amount of a card's quote as its reader may see it.
type QuoteMoney struct {
	// Amount is nil when the quote has no amount (the project had no rate
	// when it was sent, or there is no quote) and for a reader who may not
	// see money; the JSON then has no amount at all.
	Amount *models.Money `json:"amount,omitempty"`
}

// QuoteAmount reads the frozen amount of a card's quote: to managers,
// admins and the card's client's users; to developers only when the agency
// shows them money. A card the actor cannot see is not found.
func (s *Store) QuoteAmount(ctx context.Context, a models.Actor, id int64) (QuoteMoney, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.taskForRead(db, a, id); err != nil {
		return QuoteMoney{}, err
	}
	money, err := seesMoney(db, a)
	if err != nil || !money {
		return QuoteMoney{}, err
	}
	var m models.Money
	var cents *int64
	err = db.Raw("SELECT quote_amount_cents, coalesce(quote_currency, '') FROM tasks WHERE id = ?", id).Row().Scan(&cents, &m.Currency)
	if err != nil || cents == nil {
		return QuoteMoney{}, wrap("quote amount", err)
	}
	m.AmountCents = *cents
	return QuoteMoney{Amount: &m}, nil
}

// moneyColumns splits an amount into its two nullable columns.
func moneyColumns(m *models.Money) (cents *int64, currency *string) {
	if m == nil {
		return nil, nil
	}
	return &m.AmountCents, &m.Currency
}
