package models

import (
	"cmp"
	"slices"
)

// InBand compares two cards of one list: the more pressing band first, and
// within a band the manual order, which key reads (the rank of a board
// column, the sprint rank of a queue). People order cards only within a
// band, so a critical card can never sink below normal work. The frontend
// mirrors this in listOrder (frontend/src/board/cards.ts).
func InBand(key func(Task) string) func(a, b Task) int {
	return func(a, b Task) int {
		return cmp.Or(cmp.Compare(a.Priority.Band(), b.Priority.Band()), cmp.Compare(key(a), key(b)), cmp.Compare(a.ID, b.ID))
	}
}

// ByRank is the key of a board column.
func ByRank(t Task) string { return t.Rank }

// BySprintRank is the key of a person's queue in a week.
func BySprintRank(t Task) string { return t.SprintRank }

// SortBoard puts cards in board order: column by column, each in band order.
func SortBoard(cards []Task) {
	slices.SortFunc(cards, func(a, b Task) int { return CompareBoard(a.BoardKey(), b.BoardKey()) })
}

// BoardKey is all that board order reads of a card: a board kept in memory
// holds these rather than whole cards.
type BoardKey struct {
	ID       int64
	Status   Status
	Priority Priority
	Rank     string
}

// BoardKey returns the card's key in board order.
func (t Task) BoardKey() BoardKey {
	return BoardKey{ID: t.ID, Status: t.Status, Priority: t.Priority, Rank: t.Rank}
}

// CompareBoard orders two cards as a board shows them: by column, then as
// InBand(ByRank) does within one.
func CompareBoard(a, b BoardKey) int {
	return cmp.Or(cmp.Compare(slices.Index(Statuses, a.Status), slices.Index(Statuses, b.Status)),
		cmp.Compare(a.Priority.Band(), b.Priority.Band()), cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.ID, b.ID))
}
