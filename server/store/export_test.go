package store

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// SearchDocsRead runs one search page under EXPLAIN ANALYZE and counts the
// search_docs rows it read: those it kept and those a filter or a recheck
// dropped after reading them.
func (s *Store) SearchDocsRead(ctx context.Context, a models.Actor, f SearchFilter, fuzzy bool) (int, error) {
	sql, args, _, err := s.searchQuery(ctx, a, f, nil, fuzzy)
	if err != nil {
		return 0, err
	}
	// A test's few rows fit one page, where the planner rightly prefers
	// reading them all; the question is what the indexes narrow it to.
	var out string
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
			return err
		}
		return tx.Raw("EXPLAIN (ANALYZE, FORMAT JSON) "+sql, args...).Row().Scan(&out)
	})
	if err != nil {
		return 0, err
	}
	type node struct {
		Relation     string  `json:"Relation Name"`
		Rows         float64 `json:"Actual Rows"`
		Loops        float64 `json:"Actual Loops"`
		Filtered     float64 `json:"Rows Removed by Filter"`
		Rechecked    float64 `json:"Rows Removed by Index Recheck"`
		JoinFiltered float64 `json:"Rows Removed by Join Filter"`
		Plans        []node  `json:"Plans"`
	}
	var plans []struct{ Plan node }
	if err := json.Unmarshal([]byte(out), &plans); err != nil {
		return 0, err
	}
	read := 0.0
	var walk func(n node)
	walk = func(n node) {
		if n.Relation == "search_docs" {
			read += (n.Rows + n.Filtered + n.Rechecked) * n.Loops
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plans[0].Plan)
	return int(read), nil
}

// SearchWindowInput runs one search page under EXPLAIN VERBOSE and
// returns the columns the node under its window (count(*) OVER ()) hands
// up: every one of them is buffered for every hit.
func (s *Store) SearchWindowInput(ctx context.Context, a models.Actor, f SearchFilter) ([]string, error) {
	sql, args, _, err := s.searchQuery(ctx, a, f, nil, false)
	if err != nil {
		return nil, err
	}
	var out string
	if err := s.db.WithContext(ctx).Raw("EXPLAIN (VERBOSE, FORMAT JSON) "+sql, args...).Row().Scan(&out); err != nil {
		return nil, err
	}
	type node struct {
		Type   string   `json:"Node Type"`
		Output []string `json:"Output"`
		Plans  []node   `json:"Plans"`
	}
	var plans []struct{ Plan node }
	if err := json.Unmarshal([]byte(out), &plans); err != nil {
		return nil, err
	}
	var input []string
	var walk func(n node)
	walk = func(n node) {
		if n.Type == "WindowAgg" && len(n.Plans) == 1 {
			input = n.Plans[0].Output
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plans[0].Plan)
	return input, nil
}

// HoldSearchBatch is an indexer caught in the middle of a batch: it has
// taken and rebuilt up to limit queued changes in a transaction it has not
// committed yet. commit ends it.
func (s *Store) HoldSearchBatch(ctx context.Context, limit int) (n int, commit func() error, err error) {
	tx := s.db.WithContext(ctx).Begin()
	if n, _, err = indexSearchBatch(tx, limit); err != nil {
		tx.Rollback()
		return 0, nil, err
	}
	return n, func() error { return tx.Commit().Error }, nil
}

// CommandForTest runs fn as the body of a command: in its transaction and
// its turn.
func (s *Store) CommandForTest(ctx context.Context, fn func() error) error {
	return s.command(ctx, func(*gorm.DB, *outbox) error { return fn() })
}

// DoorbellsRinging tells whether a round of timer doorbells is on its way.
func (s *Store) DoorbellsRinging() bool {
	s.bells.mu.Lock()
	defer s.bells.mu.Unlock()
	return s.bells.ringing
}
