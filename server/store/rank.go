package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// rankList is one ordered list of cards: a board column (ordered by rank)
// or a person's queue in a sprint (ordered by sprint_rank).
type rankList struct {
	column string // "rank" or "sprint_rank"
	index  string // the unique index that keeps the list's keys apart
	where  string // the SQL condition selecting the list's open cards
	args   []any
	// respaced announces fresh keys for the whole list.
	respaced func(tx *gorm.DB, out *outbox, actor int64, ranks map[int64]string) error
}

// columnList is a board column.
func columnList(project int64, status models.Status) rankList {
	return rankList{column: "rank", index: "tasks_rank_key",
		where: "project_id = ? AND status = ? AND archived_at IS NULL", args: []any{project, status},
		respaced: func(tx *gorm.DB, out *outbox, actor int64, ranks map[int64]string) error {
			ev := models.RespaceEvent{Status: status, Ranks: ranks}
			out.add(newEvent{project: project, kind: models.EventColumnRespaced, actor: actor, staff: ev, client: ev})
			return nil
		}}
}

// queueList is a person's queue (or the unassigned cards) in a sprint.
func queueList(sprint int64, assignee *int64) rankList {
	return rankList{column: "sprint_rank", index: "tasks_sprint_rank_key",
		where: "sprint_id = ? AND assignee_id IS NOT DISTINCT FROM ? AND archived_at IS NULL", args: []any{sprint, assignee},
		respaced: func(tx *gorm.DB, _ *outbox, _ int64, _ map[int64]string) error { return touchSprint(tx, sprint) }}
}

// errRankCollision is a key taken by a concurrent writer at the same spot:
// the command runs again, reading the list anew.
var errRankCollision = errors.New("rank collision")

// withRank finds the key for a card placed at pos in a list and calls
// write with it. Two writers placing cards at the same spot at once compute
// the same key; the unique index refuses the second, whose whole command
// then runs again (see command) with a jittered key, so collided writers
// almost never meet twice.
func withRank(tx *gorm.DB, out *outbox, actor int64, list rankList, moving int64, pos Position, write func(rank string) error) error {
	rank, err := rankAt(tx, out, actor, list, moving, pos, out.attempt > 0)
	if err != nil {
		return err
	}
	if err := write(rank); err != nil {
		if errors.Is(wrap("", err), models.ErrDuplicate) && strings.Contains(err.Error(), list.index) {
			return fmt.Errorf("store: place card: %w", errRankCollision)
		}
		return wrap("place card", err)
	}
	return nil
}

// rankAt computes a key for pos from the neighbours' keys in the full list
// (not what the client saw, which may be filtered or stale).
func rankAt(tx *gorm.DB, out *outbox, actor int64, list rankList, moving int64, pos Position, jitter bool) (string, error) {
	between := models.RankBetween
	if jitter {
		between = func(a, b string) (string, error) { return models.RankBetweenJittered(a, b, rand.UintN(1<<16)) }
	}
	for respaced := false; ; respaced = true {
		above, below, err := neighbours(tx, list, moving, pos)
		if err != nil {
			return "", err
		}
		rank, err := between(above, below)
		if err != nil {
			return "", fmt.Errorf("store: rank between %q and %q: %w", above, below, err)
		}
		if len(rank) <= models.RankMaxLen || respaced {
			return rank, nil
		}
		if err := respace(tx, out, actor, list, moving); err != nil {
			return "", err
		}
	}
}

func neighbours(tx *gorm.DB, list rankList, moving int64, pos Position) (above, below string, err error) {
	c := list.column
	if pos.After != 0 || pos.Before != 0 {
		// One round trip: the named neighbour's key, and the key next to
		// it on the other side.
		id, field, op, dir := pos.After, "after_id", ">", "ASC"
		if pos.After == 0 {
			id, field, op, dir = pos.Before, "before_id", "<", "DESC"
		}
		if id == moving {
			return "", "", &models.ValidationError{Fields: map[string]string{field: "Place the card next to another card, not next to itself."}}
		}
		q := fmt.Sprintf(`SELECT n.%[1]s AS pivot,
    (SELECT %[1]s FROM tasks WHERE %[2]s AND id <> ? AND %[1]s %[3]s n.%[1]s ORDER BY %[1]s %[4]s LIMIT 1) AS edge
FROM tasks n WHERE n.id = ? AND n.id IN (SELECT id FROM tasks WHERE %[2]s AND id <> ?)`, c, list.where, op, dir)
		args := append(append(append(append([]any{}, list.args...), moving, id), list.args...), moving)
		var rows []struct {
			Pivot string  `gorm:"column:pivot"`
			Edge  *string `gorm:"column:edge"`
		}
		if err := tx.Raw(q, args...).Scan(&rows).Error; err != nil {
			return "", "", wrap("neighbours", err)
		}
		if len(rows) == 0 {
			return "", "", &models.ConflictError{Reason: "The list changed (" + field + " is no longer in it); reload it and try again."}
		}
		edge := ""
		if rows[0].Edge != nil {
			edge = *rows[0].Edge
		}
		if pos.After != 0 {
			return rows[0].Pivot, edge, nil
		}
		return edge, rows[0].Pivot, nil
	}
	var edge []string
	q := tx.Table("tasks").Where(list.where, list.args...).Where("id <> ?", moving)
	if pos.End {
		err = q.Order(c+" DESC").Limit(1).Pluck(c, &edge).Error
		if len(edge) > 0 {
			above = edge[0]
		}
	} else {
		err = q.Order(c).Limit(1).Pluck(c, &edge).Error
		if len(edge) > 0 {
			below = edge[0]
		}
	}
	return above, below, wrap("neighbours", err)
}

// respace gives every card of a list a fresh short key, keeping their
// order. It happens only after hundreds of inserts at one spot. Versions
// stay: the cards did not change for the people editing them.
func respace(tx *gorm.DB, out *outbox, actor int64, list rankList, moving int64) error {
	var ids []int64
	err := tx.Table("tasks").Where(list.where, list.args...).Where("id <> ?", moving).
		Order(list.column).Clauses(forUpdateOf("tasks")).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return wrap("respace", err)
	}
	// The unique index is checked row by row, so old and new keys must not
	// meet: first move every card to a temporary key made from its ID.
	if err := tx.Exec(`UPDATE tasks SET `+list.column+` = 'zzzzzzzzzzzzzzzzzzzzzzzzzzz~' || id WHERE id IN ?`, ids).Error; err != nil {
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
	err = tx.Exec(`UPDATE tasks SET `+list.column+` = v.rank FROM (VALUES `+values.String()+`) AS v(id, rank) WHERE tasks.id = v.id`, args...).Error
	if err != nil {
		return wrap("respace", err)
	}
	return list.respaced(tx, out, actor, ranks)
}
