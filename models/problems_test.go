package models

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestEveryProblemHasCatalogText holds the server's field problems and the
// web app's catalog together: every code the server can send has text,
// "field_<code>", in all four languages, and that text takes exactly the
// values the server sends with it.
func TestEveryProblemHasCatalogText(t *testing.T) {
	t.Parallel()
	if len(ProblemKinds()) < 50 {
		t.Fatalf("only %d problem kinds registered", len(ProblemKinds()))
	}
	seen := map[string]bool{}
	for _, k := range ProblemKinds() {
		if seen[k.Code()] {
			t.Errorf("code %s declared twice", k.Code())
		}
		seen[k.Code()] = true
	}
	for _, locale := range []Locale{LocaleEnglish, LocalePolish, LocaleRussian, LocaleJapanese} {
		b, err := os.ReadFile("../frontend/messages/" + string(locale) + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var catalog map[string]json.RawMessage
		if err := json.Unmarshal(b, &catalog); err != nil {
			t.Fatal(err)
		}
		for _, k := range ProblemKinds() {
			text, ok := catalog["field_"+k.Code()]
			if !ok {
				t.Errorf("%s: no message field_%s (%q)", locale, k.Code(), k.English())
				continue
			}
			want := slices.Sorted(slices.Values(k.Params()))
			if got := messageInputs(text); !slices.Equal(got, want) {
				t.Errorf("%s: field_%s takes %v, the server sends %v", locale, k.Code(), got, want)
			}
		}
	}
}

var (
	catalogInput  = regexp.MustCompile(`\{([a-z_]+)\}`)
	declaredInput = regexp.MustCompile(`"input ([a-z_]+)"`)
)

// messageInputs lists the values a catalog message reads: its {names}, or
// the inputs a plural message declares.
func messageInputs(text json.RawMessage) []string {
	re := catalogInput
	if len(text) > 0 && text[0] == '[' {
		re = declaredInput
	}
	var names []string
	for _, m := range re.FindAllSubmatch(text, -1) {
		if n := string(m[1]); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}
