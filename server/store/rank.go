package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/jackc/pgx/v5"
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
	// board names a board column's list (zero for a sprint queue): what
	// a spot read with the card (placing) must match to stand in for it.
	board boardColumn
}

// columnList is a board column.
func columnList(project int64, status models.Status) rankList {
	return rankList{column: "rank", index: "tasks_rank_key", board: boardColumn{project, status},
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
// almost never meet twice. A write sent with the commit
// (writeTaskAtCommit) is refused there, and runs again the same way. The
// card (ID 0 while it is being created) is placed within its priority's
// band: see models.InBand.
func withRank(tx *gorm.DB, out *outbox, actor int64, list rankList, card models.Task, pos Position, write func(rank string) error) error {
	rank, err := rankAt(tx, out, actor, list, card, pos, out.placed.answers(list, pos))
	if err != nil {
		return err
	}
	if err := write(rank); err != nil {
		return list.placeFailed(err)
	}
	return nil
}

// placeFailed says what the failure of a card's write in the list means: a
// key the list's unique index refused is a collision, and the command runs
// again.
func (l rankList) placeFailed(err error) error {
	if errors.Is(wrap("", err), models.ErrDuplicate) && strings.Contains(err.Error(), l.index) {
		return fmt.Errorf("store: place card: %w", errRankCollision)
	}
	return wrap("place card", err)
}

// rankAt computes a key for pos from the neighbours' keys in the full list
// (not what the client saw, which may be filtered or stale). seen, if not
// nil, is the answer to the first question neighbours asks, read with the
// card.
func rankAt(tx *gorm.DB, out *outbox, actor int64, list rankList, card models.Task, pos Position, seen *pivot) (string, error) {
	between := models.RankBetween
	if out.attempt > 0 {
		between = func(a, b string) (string, error) { return models.RankBetweenJittered(a, b, rand.UintN(1<<16)) }
	}
	for respaced := false; ; respaced = true {
		above, below, err := neighbours(tx, list, card, pos, seen)
		seen = nil // a respace changed every key
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
		if err := respace(tx, out, actor, list, card.ID); err != nil {
			return "", err
		}
	}
}

// neighbours finds the two adjacent keys of the full list the card goes
// between. A list mixes bands, and the keys of one band interleave with
// the others'; taking the key right next to a card of the card's own band
// (whatever its band) keeps the new key unique and the band's order. A
// neighbour of another band means the nearest place inside the card's
// own band: its top when the neighbour is more pressing, else its bottom.
// seen, if not nil, answers the first question (firstAsk).
func neighbours(tx *gorm.DB, list rankList, card models.Task, pos Position, seen *pivot) (above, below string, err error) {
	ask := func(pick string, args []any, after bool) (pivot, error) {
		if seen != nil {
			k := *seen
			seen = nil
			return k, nil
		}
		return keyNextTo(tx, list, card.ID, pick, args, after)
	}
	id, field := pos.After, "after_id"
	if id == 0 {
		id, field = pos.Before, "before_id"
	}
	if id != 0 && id == card.ID {
		return "", "", models.Invalid(field, models.RankSelf)
	}
	pick, args, after := firstAsk(list, card.ID, "?", []any{card.Priority}, pos)
	k, err := ask(pick, args, after)
	if err != nil {
		return "", "", err
	}
	top := !pos.End
	if id != 0 {
		if !k.found {
			return "", "", &models.ConflictError{Reason: models.NeighbourGone.With()}
		}
		if k.priority == card.Priority {
			return k.around(after)
		}
		top = k.priority.Band() < card.Priority.Band()
		pick, args := edgePick(list, card.ID, "?", []any{card.Priority}, top)
		if k, err = ask(pick, args, !top); err != nil {
			return "", "", err
		}
	}
	if k.found {
		return k.around(!top)
	}
	// The band is empty: its place among the others' keys does not matter.
	var ends []string
	q := tx.Table("tasks").Where(list.where, list.args...).Where("id <> ?", card.ID)
	if top {
		err = q.Order(list.column).Limit(1).Pluck(list.column, &ends).Error
		if len(ends) > 0 {
			below = ends[0]
		}
	} else {
		err = q.Order(list.column+" DESC").Limit(1).Pluck(list.column, &ends).Error
		if len(ends) > 0 {
			above = ends[0]
		}
	}
	return above, below, wrap("neighbours", err)
}

// firstAsk is the first question neighbours asks about pos: the key of the
// card it names and the key next to it, or, if it names none, the edge of
// the card's band (priority, an SQL expression with its arguments) and
// the key beyond it.
func firstAsk(list rankList, card int64, priority string, priorityArgs []any, pos Position) (pick string, args []any, after bool) {
	switch {
	case pos.After != 0:
		return "n.id = ?", []any{pos.After}, true
	case pos.Before != 0:
		return "n.id = ?", []any{pos.Before}, false
	}
	pick, args = edgePick(list, card, priority, priorityArgs, !pos.End)
	return pick, args, pos.End
}

// edgePick picks the first card of the band (top) or its last.
func edgePick(list rankList, card int64, priority string, priorityArgs []any, top bool) (string, []any) {
	dir := "ASC"
	if !top {
		dir = "DESC"
	}
	pick := fmt.Sprintf("n.id = (SELECT id FROM tasks WHERE %s AND id <> ? AND priority = %s ORDER BY %s %s LIMIT 1)",
		list.where, priority, list.column, dir)
	return pick, append(append(append([]any{}, list.args...), card), priorityArgs...)
}

// pivot is a card's key in a list and the key next to it on one side.
type pivot struct {
	found    bool
	key      string
	priority models.Priority
	next     string
}

// around gives the keys a card placed after (or before) the pivot goes
// between.
func (p pivot) around(after bool) (above, below string, err error) {
	if after {
		return p.key, p.next, nil
	}
	return p.next, p.key, nil
}

// keyNextTo reads, in one round trip, the card of the list that pick (a
// condition on n) names and the nearest key after it (or before it).
func keyNextTo(tx *gorm.DB, list rankList, moving int64, pick string, pickArgs []any, after bool) (pivot, error) {
	q, args := keyNextToQuery(list, moving, pick, pickArgs, after)
	var seen seenPivot
	err := queryRows(tx, q, args, func(row pgx.Rows) error { return row.Scan(seen.dest()...) })
	if err != nil {
		return pivot{}, wrap("neighbours", err)
	}
	return seen.pivot(), nil
}

// keyNextToQuery is keyNextTo's query, with GORM's placeholders.
func keyNextToQuery(list rankList, moving int64, pick string, pickArgs []any, after bool) (string, []any) {
	op, dir := ">", "ASC"
	if !after {
		op, dir = "<", "DESC"
	}
	q := fmt.Sprintf(`SELECT n.%[1]s AS pivot, n.priority,
    (SELECT %[1]s FROM tasks WHERE %[2]s AND id <> ? AND %[1]s %[3]s n.%[1]s ORDER BY %[1]s %[4]s LIMIT 1) AS edge
FROM tasks n WHERE %[5]s AND n.id IN (SELECT id FROM tasks WHERE %[2]s AND id <> ?)`, list.column, list.where, op, dir, pick)
	args := append(append([]any{}, list.args...), moving)
	args = append(append(args, pickArgs...), list.args...)
	return q, append(args, moving)
}

// placing is the spot in a board column a command will put its card at,
// known before the card is loaded: a move's column and position. lockTask
// asks neighbours' first question about it in the same round trip as it
// loads the card, a round trip fewer on every move; the answer is seen.
type placing struct {
	board boardColumn // its project is the card's, known once it is loaded
	pos   Position
	seen  *pivot
}

// boardColumn is a column of a project's board.
type boardColumn struct {
	project int64
	status  models.Status
}

// answers gives what was seen, once, if the spot is where list and pos
// place the card.
func (p *placing) answers(list rankList, pos Position) *pivot {
	if p == nil || p.seen == nil || list.board != p.board || pos != p.pos {
		return nil
	}
	seen := p.seen
	p.seen = nil
	return seen
}

// loadQuery is loadTask's query for card id and user, which also asks
// neighbours' first question about the spot: one statement instead of two
// on every move. The question's answer is at most one row, joined to the
// card's; NULL when the spot names no card.
func (p *placing) loadQuery(id, user int64) (string, []any) {
	list := rankList{column: "rank", where: "project_id = (SELECT project_id FROM tasks WHERE id = ?) AND status = ? AND archived_at IS NULL",
		args: []any{id, p.board.status}}
	pick, args, after := firstAsk(list, id, "(SELECT priority FROM tasks WHERE id = ?)", []any{id}, p.pos)
	ask, args := keyNextToQuery(list, id, pick, args, after)
	q := loadTaskSQL(", spot.pivot, spot.priority, spot.edge", "\nLEFT JOIN ("+ask+") spot ON true")
	return numbered(q), append(append([]any{user}, args...), id)
}

// seenPivot is the answer to neighbours' question as it is read: NULL
// when the question names no card.
type seenPivot struct {
	key      *string
	priority *models.Priority
	next     *string
}

func (s *seenPivot) dest() []any { return []any{&s.key, &s.priority, &s.next} }

func (s seenPivot) pivot() pivot {
	k := pivot{}
	if s.key != nil {
		k.found, k.key, k.priority = true, *s.key, *s.priority
		if s.next != nil {
			k.next = *s.next
		}
	}
	return k
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
