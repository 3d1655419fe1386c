// Package frontend holds the built single-page app, embedded into the binary.
package frontend

import (
	"embed"
	"io/fs"
)

// Vite writes to dist/app so that dist/.keep survives a build and the embed
// pattern matches even before the first frontend build.
//
//go:embed all:dist
var files embed.FS

// Dist returns the built app and whether it has been built at all.
func Dist() (fs.FS, bool) {
	app, err := fs.Sub(files, "dist/app")
	if err != nil {
		return nil, false
	}
	if _, err := fs.Stat(app, "index.html"); err != nil {
		return app, false
	}
	return app, true
}
