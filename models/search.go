package models

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Search limits: a query is something a person types, not a document.
const (
	SearchMaxRunes = 200
	SearchMaxWords = 8
	// SearchFuzzyRunes is the shortest word a typo may be forgiven in:
	// shorter words have too few trigrams to tell a typo from another word.
	SearchFuzzyRunes = 5
)

// SearchQuery is what a person typed, read into words.
type SearchQuery struct {
	// Number is set for "#123": a jump to that card, not a text search.
	Number int64
	Words  []SearchWord
}

// SearchWord is one word of a query.
type SearchWord struct {
	Text string // lower-cased
	// Substring words are written in a script without spaces between words
	// (Japanese, Chinese): they match anywhere inside a text, not as words.
	Substring bool
}

// Fuzzy reports whether a typo in the word may be forgiven.
func (w SearchWord) Fuzzy() bool {
	return !w.Substring && utf8.RuneCountInString(w.Text) >= SearchFuzzyRunes
}

// ParseSearch reads a query. Words are runs of letters and digits; any
// other character separates them, so nothing a person types reaches the
// database as query syntax.
func ParseSearch(q string) (SearchQuery, error) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return SearchQuery{}, Invalid("q", SearchEmpty)
	case utf8.RuneCountInString(q) > SearchMaxRunes:
		return SearchQuery{}, Invalid("q", SearchTooLong, SearchMaxRunes)
	}
	if rest, ok := strings.CutPrefix(q, "#"); ok {
		if n, err := strconv.ParseInt(rest, 10, 64); err == nil && n > 0 {
			return SearchQuery{Number: n}, nil
		}
	}
	var out SearchQuery
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		if seen[f] {
			continue
		}
		seen[f] = true
		out.Words = append(out.Words, SearchWord{Text: f, Substring: strings.IndexFunc(f, unspaced) >= 0})
	}
	switch {
	case len(out.Words) == 0:
		return SearchQuery{}, Invalid("q", SearchNoWords)
	case len(out.Words) > SearchMaxWords:
		return SearchQuery{}, Invalid("q", SearchTooMany, SearchMaxWords)
	}
	return out, nil
}

// unspaced reports a character of a script written without spaces.
func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// SavedFilter is a person's named search or board filter: an address inside
// the app, so that opening it applies the filter and the link can be sent.
type SavedFilter struct {
	ID        int64     `gorm:"column:id;primaryKey" json:"id"`
	UserID    int64     `gorm:"column:user_id" json:"-"`
	Name      string    `gorm:"column:name" json:"name"`
	URL       string    `gorm:"column:url" json:"url"`
	CreatedAt time.Time `gorm:"column:created_at;->" json:"created_at"`
}

// Limits of a saved filter.
const (
	SavedFilterNameMax = 100
	SavedFilterURLMax  = 2000
	SavedFiltersMax    = 50
)

// CleanSavedFilter checks a filter to save. Its address must stay inside
// the app: a path from the root, never "//host" or a scheme, which a link
// opened from the list would follow off-site.
func CleanSavedFilter(p Problems, f SavedFilter) SavedFilter {
	f.Name = CleanName(p, "name", f.Name, SavedFilterNameMax)
	f.URL = strings.TrimSpace(f.URL)
	switch {
	case !strings.HasPrefix(f.URL, "/") || strings.HasPrefix(f.URL, "//") || strings.HasPrefix(f.URL, "/\\"):
		p.Add("url", FilterURL)
	case utf8.RuneCountInString(f.URL) > SavedFilterURLMax:
		p.Add("url", TooLong, SavedFilterURLMax, utf8.RuneCountInString(f.URL))
	case SingleLine.Problem(f.URL) != nil:
		p.Add("url", SingleLine.Problem(f.URL))
	}
	return f
}
