package mail

import (
	"maps"
	"slices"
	"testing"

	"github.com/doska/doska/models"
)

// TestTextsHaveTheSameKeys: every language has every text, and every kind
// has its subject.
func TestTextsHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	en := slices.Sorted(maps.Keys(texts[models.LocaleEnglish]))
	for l, w := range texts {
		if got := slices.Sorted(maps.Keys(w)); !slices.Equal(got, en) {
			t.Errorf("%s has keys %v, want %v", l, got, en)
		}
	}
	for _, k := range Kinds {
		if _, ok := texts[models.LocaleEnglish][string(k)+".subject"]; !ok {
			t.Errorf("no subject for %s", k)
		}
	}
}
