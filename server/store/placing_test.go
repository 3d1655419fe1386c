package store

import (
	"testing"

	"github.com/doska/doska/models"
)

// TestPlacingAnswersOnlyItsSpot: the neighbours read with a card stand in
// for the first question about that column and spot only, and once: a
// sprint queue, another column or project, another spot, or a second
// question (after a respace) reads the keys anew.
func TestPlacingAnswersOnlyItsSpot(t *testing.T) {
	spot := Position{After: 7}
	fresh := func() *placing {
		return &placing{board: boardColumn{3, models.StatusInProgress}, pos: spot, seen: &pivot{found: true, key: "m"}}
	}
	column := columnList(3, models.StatusInProgress)
	cases := []struct {
		name string
		list rankList
		pos  Position
		want bool
	}{
		{"its column and spot", column, spot, true},
		{"another column", columnList(3, models.StatusSet), spot, false},
		{"another project's column", columnList(4, models.StatusInProgress), spot, false},
		{"another spot", column, Position{Before: 7}, false},
		{"a sprint queue", queueList(3, nil), spot, false},
	}
	for _, tc := range cases {
		if got := fresh().answers(tc.list, tc.pos) != nil; got != tc.want {
			t.Errorf("%s: answered %v, want %v", tc.name, got, tc.want)
		}
	}
	p := fresh()
	if p.answers(column, spot) == nil || p.answers(column, spot) != nil {
		t.Error("the answer must stand in once")
	}
	if (*placing)(nil).answers(column, spot) != nil {
		t.Error("no spot, no answer")
	}
}

func TestNumbered(t *testing.T) {
	got := numbered("SELECT ? WHERE a = ? AND b IN (SELECT ?)")
	if want := "SELECT $1 WHERE a = $2 AND b IN (SELECT $3)"; got != want {
		t.Errorf("numbered: %q, want %q", got, want)
	}
}
