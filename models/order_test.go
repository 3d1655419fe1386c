package models

import (
	"slices"
	"testing"
)

func TestSortBoardKeepsBandsThenManualOrder(t *testing.T) {
	t.Parallel()
	card := func(id int64, s Status, p Priority, rank string) Task {
		return Task{ID: id, Status: s, Priority: p, Rank: rank}
	}
	cards := []Task{
		card(1, StatusInProgress, PriorityNormal, "a0"),
		card(2, StatusInProgress, PriorityCritical, "a5"),
		card(3, StatusInProgress, PriorityUrgent, "a1"),
		card(4, StatusSet, PriorityNormal, "a9"),
		card(5, StatusInProgress, PriorityNormal, "Zz"),
		card(6, StatusInProgress, PriorityCritical, "a2"),
		card(7, StatusSet, PriorityUrgent, "b00"),
	}
	SortBoard(cards)
	var got []int64
	for _, c := range cards {
		got = append(got, c.ID)
	}
	// Set: urgent before normal whatever the ranks; In progress: both
	// critical cards (in rank order), the urgent one, then normal by rank.
	if want := []int64{7, 4, 6, 2, 3, 5, 1}; !slices.Equal(got, want) {
		t.Errorf("board order %v, want %v", got, want)
	}
}

func TestInBandReadsTheListsKey(t *testing.T) {
	t.Parallel()
	a := Task{ID: 1, Priority: PriorityNormal, Rank: "a0", SprintRank: "a9"}
	b := Task{ID: 2, Priority: PriorityNormal, Rank: "a9", SprintRank: "a0"}
	if InBand(ByRank)(a, b) >= 0 || InBand(BySprintRank)(a, b) <= 0 {
		t.Error("a card's key in the list must decide the order within a band")
	}
	c := Task{ID: 3, Priority: PriorityUrgent, SprintRank: "z0"}
	if InBand(BySprintRank)(c, a) >= 0 {
		t.Error("an urgent card must come before a normal one")
	}
	if PriorityCritical.Band() >= PriorityUrgent.Band() || PriorityUrgent.Band() >= PriorityNormal.Band() {
		t.Error("bands must order critical, urgent, normal")
	}
}
