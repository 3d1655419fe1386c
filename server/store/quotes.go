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
		t, err = s.carryOut(tx, out, a, before, t, step, Position{})
		return err
	})
	return t.For(a), err
}
