package store

import (
	"gorm.io/gorm/clause"
)

// forUpdateOf locks the named table's rows of a query until commit.
func forUpdateOf(table string) clause.Locking {
	return clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: table}}
}
