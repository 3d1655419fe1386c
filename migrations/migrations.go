// Package migrations holds Doska's schema as plain SQL files applied in
// order by goose at start-up.
package migrations

import "embed"

// FS holds the goose-annotated SQL files, named NNNNN_what.sql.
//
//go:embed *.sql
var FS embed.FS
