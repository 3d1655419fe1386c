package store

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
)

// Limit is one failed-attempt counter: after Max failures within Window
// the key is blocked for Block.
type Limit struct {
	Key    string
	Max    int
	Window time.Duration
	Block  time.Duration
}

// Blocked returns how long the longest block among keys still lasts, or 0.
func (s *Store) Blocked(ctx context.Context, keys []string) (time.Duration, error) {
	var until sql.NullTime
	err := s.db.WithContext(ctx).Table("auth_throttle").Select("max(blocked_until)").
		Where("key IN ? AND blocked_until > ?", keys, s.now()).Row().Scan(&until)
	if err != nil || !until.Valid {
		return 0, wrap("throttle", err)
	}
	return until.Time.Sub(s.now()), nil
}

// RecordFailure counts a failed attempt against each limit, starting a new
// window where the old one has passed, and blocks keys that reach their Max.
// The counters live in the database so every instance shares them.
func (s *Store) RecordFailure(ctx context.Context, limits []Limit) error {
	now := s.now()
	return s.inTx(ctx, func(tx *gorm.DB) error {
		for _, l := range limits {
			err := tx.Exec(`
INSERT INTO auth_throttle AS t (key, failures, window_start) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
    failures     = CASE WHEN t.window_start <= ? THEN 1 ELSE t.failures + 1 END,
    window_start = CASE WHEN t.window_start <= ? THEN excluded.window_start ELSE t.window_start END`,
				l.Key, now, now.Add(-l.Window), now.Add(-l.Window)).Error
			if err != nil {
				return wrap("record failure", err)
			}
			err = tx.Exec(`UPDATE auth_throttle SET blocked_until = ?, failures = 0, window_start = ? WHERE key = ? AND failures >= ?`,
				now.Add(l.Block), now, l.Key, l.Max).Error
			if err != nil {
				return wrap("record failure", err)
			}
		}
		return nil
	})
}

// ClearFailures forgets the counters of keys (after a successful sign-in).
func (s *Store) ClearFailures(ctx context.Context, keys []string) error {
	return wrap("clear failures", s.db.WithContext(ctx).Exec("DELETE FROM auth_throttle WHERE key IN ?", keys).Error)
}
