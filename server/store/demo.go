package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Backdate moves everything recorded about a card (the card's times, its
// comments, events and notifications) d into the past, keeping their order.
// Only the demo data set uses it: its story happened over past days, not
// all in the second the server first started.
func (s *Store) Backdate(ctx context.Context, taskID int64, d time.Duration) error {
	shift := fmt.Sprintf("%d microseconds", d.Microseconds())
	return s.inTx(ctx, func(tx *gorm.DB) error {
		for _, st := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE tasks SET created_at = created_at - ?::interval, updated_at = updated_at - ?::interval,
				status_changed_at = status_changed_at - ?::interval, approved_at = approved_at - ?::interval WHERE id = ?`,
				[]any{shift, shift, shift, shift, taskID}},
			{"UPDATE comments SET created_at = created_at - ?::interval WHERE task_id = ?", []any{shift, taskID}},
			{"UPDATE events SET created_at = created_at - ?::interval WHERE task_id = ?", []any{shift, taskID}},
			{"UPDATE notifications SET created_at = created_at - ?::interval WHERE task_id = ?", []any{shift, taskID}},
		} {
			if err := tx.Exec(st.sql, st.args...).Error; err != nil {
				return wrap(fmt.Sprintf("backdate task %d", taskID), err)
			}
		}
		return nil
	})
}
