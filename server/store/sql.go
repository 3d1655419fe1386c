package store

import (
	"strconv"
	"strings"

	"gorm.io/gorm/clause"
)

// forUpdateOf locks the named table's rows of a query until commit.
func forUpdateOf(table string) clause.Locking {
	return clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: table}}
}

// numbered rewrites GORM's ? placeholders as pgx's $1, $2…, for a query
// built for GORM that goes in a pgx batch. The queries it is given are
// this package's own and hold no other question mark.
func numbered(q string) string {
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(q, "?") {
		if strings.HasSuffix(part, "?") {
			n++
			b.WriteString(part[:len(part)-1] + "$" + strconv.Itoa(n))
			continue
		}
		b.WriteString(part)
	}
	return b.String()
}
