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
	checkCatalog(t, "field_", ProblemKinds())
}

// TestEveryConflictHasCatalogText does the same for the reasons of a 409,
// "conflict_<code>": the app shows why, not a generic "changed meanwhile".
func TestEveryConflictHasCatalogText(t *testing.T) {
	t.Parallel()
	if len(ConflictKinds()) < 15 {
		t.Fatalf("only %d conflicts registered", len(ConflictKinds()))
	}
	checkCatalog(t, "conflict_", ConflictKinds())
}

func checkCatalog(t *testing.T, prefix string, kinds []*ProblemKind) {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range kinds {
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
		for _, k := range kinds {
			text, ok := catalog[prefix+k.Code()]
			if !ok {
				t.Errorf("%s: no message %s%s (%q)", locale, prefix, k.Code(), k.English())
				continue
			}
			want := slices.Sorted(slices.Values(k.Params()))
			if got := messageInputs(text); !slices.Equal(got, want) {
				t.Errorf("%s: %s%s takes %v, the server sends %v", locale, prefix, k.Code(), got, want)
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
