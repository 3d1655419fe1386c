package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// withRank finds the rank for a card placed at pos in a column and calls
// write with it inside a savepoint. Two writers placing cards at the same
// spot at once compute the same key; the unique index refuses the second,
// which then reads the column again (now with the first card) and retries.
func withRank(tx *gorm.DB, actor int64, project int64, status models.Status, moving int64, pos Position, write func(rank string) error) error {
	for attempt := 0; ; attempt++ {
		rank, err := rankAt(tx, actor, project, status, moving, pos, attempt > 0)
		if err != nil {
			return err
		}
		if err := tx.SavePoint("rank").Error; err != nil {
			return wrap("rank", err)
		}
		err = write(rank)
		if err == nil {
			return nil
		}
		if rbErr := tx.RollbackTo("rank").Error; rbErr != nil {
			return wrap("rank", rbErr)
		}
		if !errors.Is(wrap("", err), models.ErrDuplicate) || !strings.Contains(err.Error(), "tasks_rank_key") || attempt == 9 {
			return wrap("place card", err)
		}
	}
}

// rankAt computes a key for pos from the neighbours' ranks in the full
// column (not what the client saw, which may be filtered or stale).
func rankAt(tx *gorm.DB, actor int64, project int64, status models.Status, moving int64, pos Position, jitter bool) (string, error) {
	above, below, err := neighbours(tx, project, status, moving, pos)
	if err != nil {
		return "", err
	}
	between := models.RankBetween
	if jitter {
		between = func(a, b string) (string, error) { return models.RankBetweenJittered(a, b, rand.UintN(1<<16)) }
	}
	rank, err := between(above, below)
	if err != nil {
		return "", fmt.Errorf("store: rank between %q and %q: %w", above, below, err)
	}
	if len(rank) <= models.RankMaxLen {
		return rank, nil
	}
	if err := respace(tx, actor, project, status, moving); err != nil {
		return "", err
	}
	if above, below, err = neighbours(tx, project, status, moving, pos); err != nil {
		return "", err
	}
	rank, err = between(above, below)
	if err != nil {
		return "", fmt.Errorf("store: rank between %q and %q: %w", above, below, err)
	}
	return rank, nil
}

func neighbours(tx *gorm.DB, project int64, status models.Status, moving int64, pos Position) (above, below string, err error) {
	col := func() *gorm.DB {
		return tx.Table("tasks").Where("project_id = ? AND status = ? AND archived_at IS NULL AND id <> ?", project, status, moving)
	}
	rankOf := func(id int64, field string) (string, error) {
		if id == moving {
			return "", &models.ValidationError{Fields: map[string]string{field: "cannot be the card being moved"}}
		}
		var r []string
		if err := col().Where("id = ?", id).Pluck("rank", &r).Error; err != nil {
			return "", wrap("neighbour", err)
		}
		if len(r) == 0 {
			return "", &models.ConflictError{Reason: "the column changed: " + field + " is no longer a card of it; reload the board"}
		}
		return r[0], nil
	}
	var edge []string
	switch {
	case pos.After != 0:
		if above, err = rankOf(pos.After, "after_id"); err != nil {
			return
		}
		err = col().Where("rank > ?", above).Order("rank").Limit(1).Pluck("rank", &edge).Error
	case pos.Before != 0:
		if below, err = rankOf(pos.Before, "before_id"); err != nil {
			return
		}
		err = col().Where("rank < ?", below).Order("rank DESC").Limit(1).Pluck("rank", &edge).Error
	default:
		err = col().Order("rank").Limit(1).Pluck("rank", &edge).Error
	}
	if err != nil {
		return "", "", wrap("neighbours", err)
	}
	if len(edge) > 0 {
		if pos.After != 0 || pos.Before == 0 {
			below = edge[0]
		} else {
			above = edge[0]
		}
	}
	return above, below, nil
}

// respace gives every card of a column a fresh short rank, keeping their
// order, announced as one column.respaced event. It happens only after
// hundreds of inserts at one spot. Versions stay: the cards did not change
// for the people editing them, only their keys.
func respace(tx *gorm.DB, actor int64, project int64, status models.Status, moving int64) error {
	var ids []int64
	err := tx.Table("tasks").Where("project_id = ? AND status = ? AND archived_at IS NULL AND id <> ?", project, status, moving).
		Order("rank").Clauses(forUpdateOf("tasks")).Pluck("id", &ids).Error
	if err != nil {
		return wrap("respace", err)
	}
	// The unique index is checked row by row, so old and new keys must not
	// meet: first move every card to a temporary key made from its ID.
	if err := tx.Exec(`UPDATE tasks SET rank = 'zzzzzzzzzzzzzzzzzzzzzzzzzzz~' || id WHERE id IN ?`, ids).Error; err != nil {
		return wrap("respace", err)
	}
	keys := models.RankSequence(len(ids))
	ranks := make(map[int64]string, len(ids))
	var values strings.Builder
	args := make([]any, 0, 2*len(ids))
	for i, id := range ids {
		if i > 0 {
			values.WriteString(",")
		}
		values.WriteString("(?::bigint, ?::text)")
		args = append(args, id, keys[i])
		ranks[id] = keys[i]
	}
	if len(ids) > 0 {
		err = tx.Exec(`UPDATE tasks SET rank = v.rank FROM (VALUES `+values.String()+`) AS v(id, rank) WHERE tasks.id = v.id`, args...).Error
		if err != nil {
			return wrap("respace", err)
		}
	}
	ev := models.RespaceEvent{Status: status, Ranks: ranks}
	_, err = appendEvent(tx, newEvent{project: project, kind: models.EventColumnRespaced, actor: actor, staff: ev, client: ev})
	return err
}
